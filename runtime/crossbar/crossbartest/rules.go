package crossbartest

// Crossbar's rules as the fake applies them, in one place. Each names the
// section of the Kazoo Crossbar fact sheet (kazoo-crossbar-facts.md, part 1)
// it comes from; where the facts are silent, the choice is said.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
)

// Defaults of Options.
const (
	// DefaultTokenLifetime is token_auth_expiry_s (§1.2): a token's exp is
	// its login time plus this.
	DefaultTokenLifetime = time.Hour
	// DefaultBucketTokens and DefaultFillPerSecond are the rate-limit
	// bucket per client IP and account (§1.9).
	DefaultBucketTokens  = 100
	DefaultFillPerSecond = 10
	// LoginCost is what user_auth and api_auth take from the bucket (§1.2,
	// §1.9); every other request takes RequestCost.
	LoginCost   = 35
	RequestCost = 1
	// DefaultPageSize is crossbar.pagination_page_size (§1.8).
	DefaultPageSize = 50
	// PivotDebugRange is how far back the Pivot debug listing looks by
	// default: 31 days and an hour (§1.8, §1.12).
	PivotDebugRange = 31*24*time.Hour + time.Hour
)

// apiKeyLength is the length of an account API key (§1.2, schema api_auth).
const apiKeyLength = 64

// apiError is a refusal: the HTTP status, Crossbar's message and details
// (§1.5).
type apiError struct {
	status  int
	message string
	data    any
}

func (e *apiError) Error() string {
	data, _ := json.Marshal(e.data)
	return fmt.Sprintf("%d %s: %s", e.status, e.message, data)
}

// Crossbar's system errors (§1.5).
func errParse(why string) *apiError {
	return &apiError{http.StatusBadRequest, "parse_error", map[string]string{"message": why}}
}

func errInvalidCredentials() *apiError {
	return &apiError{http.StatusUnauthorized, "invalid_credentials", map[string]string{"message": "invalid credentials"}}
}

func errForbidden(msg string) *apiError {
	return &apiError{http.StatusForbidden, "forbidden", map[string]string{"message": msg}}
}

func errBadIdentifier(id string) *apiError {
	return &apiError{http.StatusNotFound, "bad_identifier", map[string]string{"message": "bad identifier", "cause": id}}
}

func errNotFound(what string) *apiError {
	return &apiError{http.StatusNotFound, "not_found", map[string]string{"message": what}}
}

func errInvalidMethod(method string) *apiError {
	return &apiError{http.StatusMethodNotAllowed, "invalid_method", map[string]string{"message": "method " + method + " not allowed here"}}
}

func errTooManyRequests() *apiError {
	return &apiError{http.StatusTooManyRequests, "too_many_requests", map[string]string{"message": "rate limit reached: no tokens left in the bucket"}}
}

// errSchemas is the fake's own failure: its schemas did not load.
func errSchemas(err error) *apiError {
	return &apiError{http.StatusInternalServerError, "schemas_unavailable", map[string]string{"message": err.Error()}}
}

// problems collects validation errors in Kazoo's shape (§1.5): the key
// path joined with "." → code → {message, cause?, value?, target?}.
// Kazoo merges the errors of one path and code, so the first is kept.
type problems map[string]map[string]map[string]any

// add records a problem at a JSON pointer.
func (p problems) add(pointer, code, message string, details map[string]any) {
	path := keyPath(pointer)
	if p[path] == nil {
		p[path] = map[string]map[string]any{}
	}
	if _, seen := p[path][code]; seen {
		return
	}
	d := map[string]any{"message": message}
	maps.Copy(d, details)
	p[path][code] = d
}

// err returns the 400 "validation error" of the problems, or nil.
func (p problems) err() *apiError {
	if len(p) == 0 {
		return nil
	}
	return &apiError{http.StatusBadRequest, "validation error", map[string]map[string]map[string]any(p)}
}

// keyPath turns a JSON pointer into Kazoo's dotted key path (§1.5): array
// indexes stay 0-based, a dot inside a key is written %2E.
func keyPath(pointer string) string {
	if pointer == "" {
		return ""
	}
	tokens := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i, t := range tokens {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		tokens[i] = strings.ReplaceAll(t, ".", "%2E")
	}
	return strings.Join(tokens, ".")
}

// checkLoginPayload applies the api_auth and user_auth schemas (§1.2):
// an API key of exactly 64 characters; credentials of 1 to 64 characters,
// method md5 or sha, and one way to name the account. Like Kazoo's
// validation errors, these echo the value sent.
func checkLoginPayload(kind string, data map[string]any) *apiError {
	p := problems{}
	str := func(key string, minLen, maxLen int, required bool) {
		v, ok := data[key]
		if !ok {
			if required {
				p.add("/"+key, "required", "Field is required but missing", nil)
			}
			return
		}
		s, ok := v.(string)
		switch {
		case !ok:
			p.add("/"+key, "type", "Value is not of type string", map[string]any{"value": v})
		case len(s) < minLen:
			p.add("/"+key, "minLength", fmt.Sprintf("String must be at least %d characters", minLen), map[string]any{"value": s, "target": minLen})
		case len(s) > maxLen:
			p.add("/"+key, "maxLength", fmt.Sprintf("String must not be more than %d characters", maxLen), map[string]any{"value": s, "target": maxLen})
		}
	}
	if kind == "api_auth" {
		str("api_key", apiKeyLength, apiKeyLength, true)
		return p.err()
	}
	str("credentials", 1, 64, true)
	str("account_name", 1, 128, false)
	str("account_realm", 4, 253, false)
	str("phone_number", 1, 64, false)
	if m, ok := data["method"]; ok && m != "md5" && m != "sha" {
		p.add("/method", "enum", "Value not found in enumerated list of values", map[string]any{"value": m})
	}
	return p.err()
}

// normalizeAccountName is how the fake compares account names in
// user_auth: lowercase letters and digits only. Kazoo normalises names
// too; its exact rule is not in the facts.
func normalizeAccountName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return r
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, name)
}

// UniqueWording chooses the text of Crossbar's "unique" problem on a
// callflow's numbers (§1.7 step 5).
type UniqueWording int

const (
	// WordingMaster is Kazoo master's: "Number X exists in callflow ID NAME".
	WordingMaster UniqueWording = iota
	// Wording43 is Kazoo 4.3's: "X exists in callflow ID (NAME)".
	Wording43
)

// message words the conflict of number (or pattern) with a callflow. The
// facts quote the wording for numbers; patterns get the same with
// "Pattern" (unverified).
func (w UniqueWording) message(isPattern bool, number, id, name string) string {
	if w == Wording43 {
		return fmt.Sprintf("%s exists in callflow %s (%s)", number, id, name)
	}
	word := "Number"
	if isPattern {
		word = "Pattern"
	}
	return fmt.Sprintf("%s %s exists in callflow %s %s", word, number, id, name)
}

// checkCallflowLists applies §1.7 steps 1 and 2: at least one number or
// pattern (else numbers.required), and both lists arrays.
func checkCallflowLists(doc map[string]any) *apiError {
	numbers, _ := doc["numbers"].([]any)
	patterns, _ := doc["patterns"].([]any)
	if len(numbers) == 0 && len(patterns) == 0 {
		p := problems{}
		p.add("/numbers", "required", "Callflows must be assigned at least one number or pattern", nil)
		return p.err()
	}
	p := problems{}
	for _, key := range []string{"numbers", "patterns"} {
		if v, ok := doc[key]; ok {
			if _, isList := v.([]any); !isList {
				p.add("/"+key, "type", "Value is not of type array", map[string]any{"value": v})
			}
		}
	}
	return p.err()
}

// normalizeCallflowNumbers rewrites every number to E.164 with Kazoo's
// default converters before saving (§1.7 step 3, crossbar.NormalizeNumber).
func normalizeCallflowNumbers(doc map[string]any) {
	numbers, _ := doc["numbers"].([]any)
	for i, n := range numbers {
		if s, ok := n.(string); ok {
			numbers[i] = crossbar.NormalizeNumber(s)
		}
	}
}

// checkUnique refuses a number or pattern another callflow of the same
// account already has (§1.7 step 5): 400 at numbers (or patterns), code
// unique, cause the number; one conflict per list, since Kazoo keeps one
// error per path and code. The callflow being updated (self) is skipped.
func checkUnique(a *Account, self string, doc map[string]any, wording UniqueWording) *apiError {
	p := problems{}
	for _, key := range []string{"numbers", "patterns"} {
		mine, _ := doc[key].([]any)
		for _, id := range a.sortedIDs(crossbar.Callflows) {
			if id == self {
				continue
			}
			other := a.docs[crossbar.Callflows][id].fields
			theirs, _ := other[key].([]any)
			for _, n := range mine {
				if s, ok := n.(string); ok && slices.Contains(theirs, any(s)) {
					name, _ := other["name"].(string)
					p.add("/"+key, "unique", wording.message(key == "patterns", s, id, name), map[string]any{"cause": s})
				}
			}
		}
	}
	return p.err()
}

// checkOwnership refuses numbers the number database gives to another
// account (§1.7 step 6): 403 forbidden, "unauthorized to use N1, N2".
// Numbers it does not know are accepted.
func checkOwnership(s *Server, a *Account, doc map[string]any) *apiError {
	numbers, _ := doc["numbers"].([]any)
	var refused []string
	for _, n := range numbers {
		if num, ok := n.(string); ok {
			if owner, known := s.owners[num]; known && owner != a.ID {
				refused = append(refused, num)
			}
		}
	}
	if len(refused) == 0 {
		return nil
	}
	return errForbidden("unauthorized to use " + strings.Join(refused, ", "))
}

// listingFields are the fields of each collection's listing rows (the
// crossbar_listing views, §1.7 and §1.13); absent fields are left out.
// The facts give no row fields for menus and temporal rules: the fake
// lists their name.
var listingFields = map[crossbar.Resource][]string{
	crossbar.Callflows:        {"name", "type", "numbers", "patterns", "featurecode", "owner_id", "group_id", "flags"},
	crossbar.Users:            {"first_name", "last_name", "username", "email", "priv_level", "presence_id", "timezone", "features", "flags"},
	crossbar.Devices:          {"name", "username", "mac_address", "owner_id", "enabled", "device_type", "mobile", "flags"},
	crossbar.Groups:           {"name", "features", "flags"},
	crossbar.VMBoxes:          {"name", "mailbox", "owner_id", "flags"},
	crossbar.Conferences:      {"name", "owner_id", "member", "moderator", "conference_numbers", "flags"},
	crossbar.Media:            {"name", "media_type", "media_source", "language", "is_prompt"},
	crossbar.Menus:            {"name"},
	crossbar.TemporalRules:    {"name"},
	crossbar.TemporalRuleSets: {"name"},
}

// listingRow is a document's row in its collection's listing. Computed
// fields: a callflow's "modules" (the distinct modules of its flow, skipping
// nodes with skip_module true, §1.7), a group's "endpoints" and a voicemail
// box's "messages" (counts, §1.13).
func listingRow(r crossbar.Resource, id string, doc map[string]any) map[string]any {
	row := map[string]any{"id": id}
	for _, f := range listingFields[r] {
		if v, ok := doc[f]; ok {
			row[f] = v
		}
	}
	switch r {
	case crossbar.Callflows:
		modules := []string{}
		crossbar.WalkFlow(doc["flow"], "", func(_ string, node map[string]any) {
			m, _ := node["module"].(string)
			data, _ := node["data"].(map[string]any)
			if m != "" && data["skip_module"] != true && !slices.Contains(modules, m) {
				modules = append(modules, m)
			}
		})
		row["modules"] = modules
	case crossbar.Groups:
		endpoints, _ := doc["endpoints"].(map[string]any)
		row["endpoints"] = len(endpoints)
	case crossbar.VMBoxes:
		messages, _ := doc["messages"].([]any)
		row["messages"] = len(messages)
	}
	return row
}

// bucket is a rate-limit token bucket (§1.9): it holds at most max tokens
// and refills fill tokens a second.
type bucket struct {
	tokens float64
	last   time.Time
}

// take removes cost tokens if the bucket has them, after refilling for
// the time passed, and returns what remains.
func (b *bucket) take(now time.Time, cost, max int, fill float64) (remaining int, ok bool) {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(float64(max), b.tokens+elapsed*fill)
	}
	b.last = now
	if b.tokens < float64(cost) {
		return int(b.tokens), false
	}
	b.tokens -= float64(cost)
	return int(b.tokens), true
}

// Paging (§1.8): rows are ordered by their key, descending unless
// ascending=true; page_size rows per page (default DefaultPageSize);
// next_start_key, absent on the last page, is an opaque URL-safe base64
// string that start_key takes back; paginate=false returns every row.

// encodeStartKey makes the opaque start key of a row key.
func encodeStartKey(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k:" + key))
}

// decodeStartKey reads a start key back.
func decodeStartKey(s string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(raw), "k:") {
		return "", false
	}
	return string(raw[2:]), true
}

// Filters (§1.8): filter_KEY=V keeps documents whose KEY (a dotted path)
// has the value V; filter_not_KEY=V the others; has_key=KEY and
// key_missing=KEY test presence. Values compare as their text.
func matchesFilters(doc map[string]any, query map[string][]string) bool {
	for param, values := range query {
		for _, v := range values {
			switch {
			case strings.HasPrefix(param, "filter_not_"):
				if got, ok := lookupPath(doc, strings.TrimPrefix(param, "filter_not_")); ok && valueText(got) == v {
					return false
				}
			case strings.HasPrefix(param, "filter_"):
				if got, ok := lookupPath(doc, strings.TrimPrefix(param, "filter_")); !ok || valueText(got) != v {
					return false
				}
			case param == "has_key":
				if _, ok := lookupPath(doc, v); !ok {
					return false
				}
			case param == "key_missing":
				if _, ok := lookupPath(doc, v); ok {
					return false
				}
			}
		}
	}
	return true
}

func lookupPath(doc map[string]any, path string) (any, bool) {
	var v any = doc
	for key := range strings.SplitSeq(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[key]; !ok {
			return nil, false
		}
	}
	return v, true
}

func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	data, _ := json.Marshal(v)
	return string(data)
}

// pivotDebugRow is the listing row of a debugged call (§1.12, view
// first_iteration): from its first record, with has_schema_errors and
// has_json_errors set when any record of the call has them. The fake keeps
// one record per request and answer; Kazoo may spread one exchange over
// several documents, written stage by stage.
func pivotDebugRow(records []map[string]any) map[string]any {
	first := records[0]
	row := map[string]any{
		"call_id":           first["call_id"],
		"created":           first["created"],
		"debug_id":          first["debug_id"],
		"iteration":         first["iteration"],
		"node":              first["node"],
		"uri":               first["uri"],
		"status_code":       first["resp_status_code"],
		"has_schema_errors": false,
		"has_json_errors":   false,
	}
	for _, r := range records {
		if _, ok := r["schema_errors"]; ok {
			row["has_schema_errors"] = true
		}
		if _, ok := r["json_errors"]; ok {
			row["has_json_errors"] = true
		}
	}
	return row
}

// debugID is "YYYYMM-" and the call ID: the monthly database (MODB) that
// holds the call's records (§1.12).
func debugID(created time.Time, callID string) string {
	return created.UTC().Format("200601") + "-" + callID
}

// userHashes are what Kazoo keeps of a user's password (§1.2): the MD5
// and SHA-1 of lowercase(username):password, which user_auth compares
// with the credentials sent. The password itself is not stored.
type userHashes struct {
	username  string
	md5, sha1 string
}

// takePassword removes "password" from a user document and returns the
// hashes to keep, when the document has a password and a username.
func takePassword(doc map[string]any) (userHashes, bool) {
	password, hasPassword := doc["password"].(string)
	delete(doc, "password")
	username, _ := doc["username"].(string)
	if !hasPassword || username == "" {
		return userHashes{}, false
	}
	return userHashes{
		username: strings.ToLower(username),
		md5:      crossbar.CredentialsHash(username, password, false),
		sha1:     crossbar.CredentialsHash(username, password, true),
	}, true
}

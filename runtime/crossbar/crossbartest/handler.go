package crossbartest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
)

// collections are the account collections the fake serves.
var collections = []crossbar.Resource{
	crossbar.Callflows, crossbar.Users, crossbar.Devices, crossbar.Groups, crossbar.VMBoxes,
	crossbar.Conferences, crossbar.Media, crossbar.Menus, crossbar.TemporalRules, crossbar.TemporalRuleSets,
}

// exchange is one request being served.
type exchange struct {
	w         http.ResponseWriter
	r         *http.Request
	method    string // after PUT/DELETE tunnelling
	segs      []string
	requestID string
	envelope  map[string]any
	data      any    // the envelope's data
	token     string // the token the request carried, echoed back
	claims    *claims
	consumed  int
	remaining int // -1: not charged
}

// result is a successful answer: status, data and extra envelope fields
// (revision, paging keys).
type result struct {
	status int
	data   any
	extra  map[string]any
}

func success(status int, data any) (*result, *apiError) {
	return &result{status: status, data: data}, nil
}

func refuse(e *apiError) (*result, *apiError) { return nil, e }

// ServeHTTP serves Crossbar's API. Requests are served one at a time.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{w: w, r: r, method: r.Method, remaining: -1, requestID: r.Header.Get("X-Request-ID")}
	if x.requestID == "" {
		x.requestID = randomHex(16)
	}
	w.Header().Set("X-Request-ID", x.requestID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if len(s.failures) > 0 {
		e := s.failures[0]
		s.failures = s.failures[1:]
		s.fail(x, e)
		return
	}
	if e := x.readBody(); e != nil {
		s.fail(x, e)
		return
	}
	path, ok := strings.CutPrefix(r.URL.EscapedPath(), "/v2/")
	if !ok {
		s.fail(x, errNotFound("unknown path: Crossbar's API is under /v2/"))
		return
	}
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		seg, err := url.PathUnescape(seg)
		if err != nil {
			s.fail(x, errNotFound("bad path"))
			return
		}
		x.segs = append(x.segs, seg)
	}
	res, e := s.route(x)
	if e != nil {
		s.fail(x, e)
		return
	}
	s.reply(x, res)
}

// readBody decodes the request envelope and applies PUT/DELETE tunnelling
// through POST (§1.3).
func (x *exchange) readBody() *apiError {
	body, err := io.ReadAll(io.LimitReader(x.r.Body, 16<<20))
	if err != nil {
		return errParse("reading the body: " + err.Error())
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := decodeJSON(body, &x.envelope); err != nil {
			return errParse("the body is not a JSON object: " + err.Error())
		}
		x.data = x.envelope["data"]
	}
	if x.method == http.MethodPost {
		verb := x.r.URL.Query().Get("verb")
		if v, ok := x.envelope["verb"].(string); ok {
			verb = v
		}
		if v := strings.ToUpper(verb); v == http.MethodPut || v == http.MethodDelete {
			x.method = v
		}
	}
	return nil
}

// route dispatches on the path.
func (s *Server) route(x *exchange) (*result, *apiError) {
	segs := x.segs
	switch {
	case len(segs) == 1 && (segs[0] == "api_auth" || segs[0] == "user_auth"):
		if x.method != http.MethodPut {
			return refuse(errInvalidMethod(x.method))
		}
		return s.login(x, segs[0])
	case len(segs) == 1 && segs[0] == "webhooks":
		return s.hookTypes(x) // no token needed (§2.1)
	case len(segs) == 0 || segs[0] != "accounts" && segs[0] != "token_auth" && segs[0] != "schemas":
		return refuse(errNotFound("unknown resource " + strings.Join(segs, "/")))
	}
	account := ""
	if segs[0] == "accounts" && len(segs) > 1 {
		account = segs[1]
	}
	if e := s.charge(x, account, RequestCost); e != nil {
		return refuse(e)
	}
	if e := s.authenticate(x); e != nil {
		return refuse(e)
	}
	switch segs[0] {
	case "token_auth":
		return s.tokenAuth(x)
	case "schemas":
		return s.schemas(x)
	}
	if len(segs) < 2 {
		return refuse(errNotFound("no account ID"))
	}
	a := s.accountByID(segs[1])
	if a == nil {
		return refuse(errBadIdentifier(segs[1]))
	}
	if x.claims.AccountID != a.ID {
		return refuse(errForbidden("the token's account may not use this account"))
	}
	rest := segs[2:]
	switch {
	case len(rest) == 0:
		if x.method != http.MethodGet {
			return refuse(errInvalidMethod(x.method))
		}
		return success(http.StatusOK, map[string]any{"id": a.ID, "name": a.Name, "realm": a.Realm})
	case rest[0] == "pivot" && len(rest) >= 2 && rest[1] == "debug":
		return s.pivotDebug(x, a, rest[2:])
	case rest[0] == string(Webhooks):
		return s.webhookCollection(x, a, rest[1:])
	case slices.Contains(collections, crossbar.Resource(rest[0])) && len(rest) <= 2:
		if len(rest) == 1 {
			return s.collection(x, a, crossbar.Resource(rest[0]))
		}
		return s.document(x, a, crossbar.Resource(rest[0]), rest[1])
	}
	return refuse(errNotFound("unknown resource " + strings.Join(rest, "/")))
}

// reply writes a success envelope (§1.4).
func (s *Server) reply(x *exchange, res *result) {
	env := s.envelope(x)
	env["status"] = "success"
	env["data"] = res.data
	maps.Copy(env, res.extra)
	if x.claims != nil {
		env["version"] = "4.3-crossbartest"
	}
	writeJSON(x.w, res.status, env)
}

// fail writes an error envelope (§1.4, §1.5).
func (s *Server) fail(x *exchange, e *apiError) {
	env := s.envelope(x)
	env["status"] = "error"
	env["error"] = strconv.Itoa(e.status)
	env["message"] = e.message
	env["data"] = e.data
	if env["data"] == nil {
		env["data"] = map[string]any{}
	}
	writeJSON(x.w, e.status, env)
}

// envelope returns the metadata every answer carries.
func (s *Server) envelope(x *exchange) map[string]any {
	env := map[string]any{
		"request_id": x.requestID,
		"node":       "crossbartest@localhost",
		"timestamp":  s.opts.Clock.Now().UTC().Format(time.RFC3339),
	}
	if x.token != "" {
		env["auth_token"] = x.token
	}
	if x.remaining >= 0 {
		env["tokens"] = map[string]int{"consumed": x.consumed, "remaining": x.remaining}
	}
	return env
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"status":"error","error":"500","message":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(data)
}

// charge takes cost tokens from the bucket of the client's IP and the
// account (§1.9).
func (s *Server) charge(x *exchange, account string, cost int) *apiError {
	if s.opts.BucketTokens < 0 {
		return nil
	}
	ip, _, err := net.SplitHostPort(x.r.RemoteAddr)
	if err != nil {
		ip = x.r.RemoteAddr
	}
	key := ip + "/" + account
	b := s.buckets[key]
	now := s.opts.Clock.Now()
	if b == nil {
		b = &bucket{tokens: float64(s.opts.BucketTokens), last: now}
		s.buckets[key] = b
	}
	remaining, ok := b.take(now, cost, s.opts.BucketTokens, s.opts.FillPerSecond)
	x.remaining = remaining
	if !ok {
		return errTooManyRequests()
	}
	x.consumed = cost
	return nil
}

// claims are the fake's JWT claims.
type claims struct {
	AccountID string `json:"account_id"`
	OwnerID   string `json:"owner_id,omitempty"`
	Method    string `json:"method"`
	IssuedAt  int64  `json:"iat"`
	Expires   int64  `json:"exp"`
	ID        string `json:"jti"`
}

// login serves api_auth and user_auth (§1.2).
func (s *Server) login(x *exchange, kind string) (*result, *apiError) {
	data, _ := x.data.(map[string]any)
	var a *Account
	if kind == "api_auth" {
		key, _ := data["api_key"].(string)
		for _, acct := range s.accounts {
			if key != "" && acct.APIKey == key {
				a = acct
			}
		}
	} else {
		a = s.accountForLogin(data)
	}
	account := ""
	if a != nil {
		account = a.ID
	}
	if e := s.charge(x, account, LoginCost); e != nil {
		return refuse(e)
	}
	if e := checkLoginPayload(kind, data); e != nil {
		return refuse(e)
	}
	if a == nil {
		return refuse(errInvalidCredentials())
	}
	c := claims{AccountID: a.ID, Method: "cb_" + kind}
	if kind == "user_auth" {
		creds, _ := data["credentials"].(string)
		sha := data["method"] == "sha"
		for _, id := range slices.Sorted(maps.Keys(a.hashes)) {
			h := a.hashes[id]
			if !sha && creds == h.md5 || sha && creds == h.sha1 {
				c.OwnerID = id
			}
		}
		if c.OwnerID == "" {
			return refuse(errInvalidCredentials())
		}
	}
	now := s.opts.Clock.Now()
	c.IssuedAt = now.Unix()
	c.Expires = now.Add(s.opts.TokenLifetime).Unix()
	c.ID = randomHex(8)
	x.token = s.sign(c)
	x.claims = &c
	s.logins++
	return success(http.StatusCreated, map[string]any{
		"account_id":  a.ID,
		"owner_id":    c.OwnerID,
		"reseller_id": a.ID,
		"is_reseller": false,
		"language":    "en-us",
		"apps":        []any{},
	})
}

// sign makes a JWT of c, signed with HMAC-SHA256.
func (s *Server) sign(c claims) string {
	enc := base64.RawURLEncoding
	payload, _ := json.Marshal(c)
	unsigned := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(payload)
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(unsigned))
	return unsigned + "." + enc.EncodeToString(mac.Sum(nil))
}

// authenticate finds and checks the request's token (§1.2): X-Auth-Token,
// else auth_token in the query or the envelope; refused when missing,
// forged, revoked or past its exp.
func (s *Server) authenticate(x *exchange) *apiError {
	token := x.r.Header.Get("X-Auth-Token")
	if token == "" {
		token = x.r.URL.Query().Get("auth_token")
	}
	if token == "" {
		token, _ = x.envelope["auth_token"].(string)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || s.revoked[token] {
		return errInvalidCredentials()
	}
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return errInvalidCredentials()
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c claims
	if err != nil || json.Unmarshal(payload, &c) != nil {
		return errInvalidCredentials()
	}
	if !s.opts.Clock.Now().Before(time.Unix(c.Expires, 0)) {
		return errInvalidCredentials()
	}
	x.token, x.claims = token, &c
	return nil
}

// tokenAuth serves GET (the token's claims) and DELETE (revoke) on
// /v2/token_auth (§1.2).
func (s *Server) tokenAuth(x *exchange) (*result, *apiError) {
	switch x.method {
	case http.MethodGet:
		return success(http.StatusOK, x.claims)
	case http.MethodDelete:
		s.revoked[x.token] = true
		return success(http.StatusOK, map[string]any{})
	}
	return refuse(errInvalidMethod(x.method))
}

// schemas serves GET /v2/schemas, GET /v2/schemas/{name} and PUT
// /v2/schemas/{name}/validation (§1.10).
func (s *Server) schemas(x *exchange) (*result, *apiError) {
	set, err := embedded()
	if err != nil {
		return refuse(errSchemas(err))
	}
	segs := x.segs[1:]
	switch {
	case len(segs) == 0 && x.method == http.MethodGet:
		return success(http.StatusOK, set.files.IDs)
	case len(segs) == 0:
		return refuse(errInvalidMethod(x.method))
	}
	schema := set.files.Get(segs[0])
	switch {
	case schema == nil:
		return refuse(errBadIdentifier(segs[0]))
	case len(segs) == 1 && x.method == http.MethodGet:
		return success(http.StatusOK, schema.Raw)
	case len(segs) == 2 && segs[1] == "validation" && x.method == http.MethodPut:
		doc, ok := x.data.(map[string]any)
		if !ok {
			p := problems{}
			p.add("", "type", "Value is not of type object", nil)
			return refuse(p.err())
		}
		p, err := s.validateDocument(segs[0], doc)
		if err != nil {
			return refuse(errSchemas(err))
		}
		if e := p.err(); e != nil {
			return refuse(e)
		}
		return success(http.StatusOK, doc)
	}
	return refuse(errInvalidMethod(x.method))
}

// collection serves GET (listing) and PUT (create) on a collection.
func (s *Server) collection(x *exchange, a *Account, r crossbar.Resource) (*result, *apiError) {
	switch x.method {
	case http.MethodGet:
		var rows []map[string]any
		var keys []string
		for _, id := range a.sortedIDs(r) {
			doc := a.docs[r][id].fields
			if matchesFilters(doc, x.r.URL.Query()) {
				rows = append(rows, listingRow(r, id, doc))
				keys = append(keys, id)
			}
		}
		return s.page(x, rows, keys)
	case http.MethodPut:
		doc, ok := x.data.(map[string]any)
		if !ok {
			return refuse(errParse(`the envelope's "data" is not an object`))
		}
		id, e := s.save(a, r, "", doc)
		if e != nil {
			return refuse(e)
		}
		return s.documentReply(x, a, r, id, http.StatusCreated)
	}
	return refuse(errInvalidMethod(x.method))
}

// document serves GET, POST (replace), PATCH (merge) and DELETE on one
// document.
func (s *Server) document(x *exchange, a *Account, r crossbar.Resource, id string) (*result, *apiError) {
	d, ok := a.docs[r][id]
	if !ok {
		return refuse(errBadIdentifier(id))
	}
	switch x.method {
	case http.MethodGet:
		return s.documentReply(x, a, r, id, http.StatusOK)
	case http.MethodPost, http.MethodPatch:
		doc, ok := x.data.(map[string]any)
		if !ok {
			return refuse(errParse(`the envelope's "data" is not an object`))
		}
		if x.method == http.MethodPatch {
			merged, _ := roundTrip(d.fields)
			doc = merge(merged, doc)
		}
		if _, e := s.save(a, r, id, doc); e != nil {
			return refuse(e)
		}
		return s.documentReply(x, a, r, id, http.StatusOK)
	case http.MethodDelete:
		delete(a.docs[r], id)
		delete(a.hashes, id)
		return success(http.StatusOK, map[string]any{"id": id, "_read_only": map[string]any{"deleted": true}})
	}
	return refuse(errInvalidMethod(x.method))
}

// documentReply answers with a document, its "id" and its revision.
func (s *Server) documentReply(x *exchange, a *Account, r crossbar.Resource, id string, status int) (*result, *apiError) {
	d := a.docs[r][id]
	doc, _ := roundTrip(d.fields)
	doc["id"] = id
	if r == crossbar.Callflows {
		doc["metadata"] = map[string]any{} // details of the IDs the flow references (§1.7)
	}
	return &result{status: status, data: doc, extra: map[string]any{"revision": d.revision()}}, nil
}

// save applies Crossbar's rules to a document of r and stores it under id
// (a new ID when empty), returning the ID.
func (s *Server) save(a *Account, r crossbar.Resource, id string, doc map[string]any) (string, *apiError) {
	delete(doc, "id")
	delete(doc, "metadata")
	if r == crossbar.Callflows {
		if e := checkCallflowLists(doc); e != nil {
			return "", e
		}
		normalizeCallflowNumbers(doc)
	}
	p, err := s.validateDocument(string(r), doc)
	if err != nil {
		return "", errSchemas(err)
	}
	if e := p.err(); e != nil {
		return "", e
	}
	if r == crossbar.Callflows {
		if e := checkUnique(a, id, doc, s.opts.Wording); e != nil {
			return "", e
		}
		if e := checkOwnership(s, a, doc); e != nil {
			return "", e
		}
	}
	if id == "" {
		id = randomHex(16)
	}
	if r == crossbar.Users {
		if h, ok := takePassword(doc); ok {
			a.hashes[id] = h
		}
	}
	if a.docs[r] == nil {
		a.docs[r] = map[string]*document{}
	}
	rev := 1
	if old, ok := a.docs[r][id]; ok {
		rev = old.rev + 1
	}
	a.docs[r][id] = &document{fields: doc, rev: rev}
	return id, nil
}

// merge applies a PATCH (§1.3): objects merge key by key, null deletes.
func merge(dst, patch map[string]any) map[string]any {
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(dst, k)
		case map[string]any:
			if dv, ok := dst[k].(map[string]any); ok {
				dst[k] = merge(dv, pv)
			} else {
				dst[k] = pv
			}
		default:
			dst[k] = v
		}
	}
	return dst
}

// page answers a listing: rows with their sort keys, ordered, filtered by
// start_key, cut to page_size (§1.8).
func (s *Server) page(x *exchange, rows []map[string]any, keys []string) (*result, *apiError) {
	q := x.r.URL.Query()
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	ascending := q.Get("ascending") == "true"
	slices.SortStableFunc(order, func(i, j int) int {
		if ascending {
			return strings.Compare(keys[i], keys[j])
		}
		return strings.Compare(keys[j], keys[i])
	})
	start := 0
	if sk := q.Get("start_key"); sk != "" {
		key, ok := decodeStartKey(sk)
		if !ok {
			p := problems{}
			p.add("/start_key", "invalid", "start_key is not a key this server gave", nil)
			return refuse(p.err())
		}
		start = len(order)
		for i, o := range order {
			if ascending && keys[o] >= key || !ascending && keys[o] <= key {
				start = i
				break
			}
		}
	}
	size := s.opts.PageSize
	if ps := q.Get("page_size"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 1 {
			p := problems{}
			p.add("/page_size", "minimum", "page_size must be a positive integer", map[string]any{"value": ps})
			return refuse(p.err())
		}
		size = n
	}
	end := len(order)
	if q.Get("paginate") != "false" {
		end = min(start+size, len(order))
	}
	page := []map[string]any{}
	for _, o := range order[start:end] {
		page = append(page, rows[o])
	}
	extra := map[string]any{"page_size": len(page)}
	if len(order) > 0 && start < len(order) {
		extra["start_key"] = encodeStartKey(keys[order[start]])
	}
	if end < len(order) {
		extra["next_start_key"] = encodeStartKey(keys[order[end]])
	}
	return &result{status: http.StatusOK, data: page, extra: extra}, nil
}

// pivotDebug serves the Pivot debug listing and one call's records (§1.12).
func (s *Server) pivotDebug(x *exchange, a *Account, rest []string) (*result, *apiError) {
	if s.opts.NoPivotDebug {
		return refuse(errNotFound("unknown resource pivot"))
	}
	if x.method != http.MethodGet {
		return refuse(errInvalidMethod(x.method))
	}
	if len(rest) > 1 {
		return refuse(errNotFound("unknown resource pivot/debug/" + strings.Join(rest, "/")))
	}
	if len(rest) == 1 {
		var records []map[string]any
		for _, r := range a.debug {
			if r["call_id"] == rest[0] || r["debug_id"] == rest[0] {
				records = append(records, r)
			}
		}
		if records == nil {
			records = []map[string]any{}
		}
		return success(http.StatusOK, records)
	}
	from, to, e := s.timeRange(x)
	if e != nil {
		return refuse(e)
	}
	byCall := map[string][]map[string]any{}
	var calls []string
	for _, r := range a.debug {
		created := gregorianTime(r["created"])
		if created.Before(from) || created.After(to) {
			continue
		}
		id, _ := r["call_id"].(string)
		if byCall[id] == nil {
			calls = append(calls, id)
		}
		byCall[id] = append(byCall[id], r)
	}
	var rows []map[string]any
	var keys []string
	for _, id := range calls {
		records := byCall[id]
		slices.SortStableFunc(records, func(p, q map[string]any) int {
			return intValue(p["iteration"]) - intValue(q["iteration"])
		})
		rows = append(rows, pivotDebugRow(records))
		keys = append(keys, fmt.Sprintf("%020d-%s", gregorianTime(records[0]["created"]).Unix(), id))
	}
	return s.page(x, rows, keys)
}

// timeRange reads created_from and created_to (Gregorian seconds),
// defaulting to the last PivotDebugRange (§1.8).
func (s *Server) timeRange(x *exchange) (from, to time.Time, e *apiError) {
	q := x.r.URL.Query()
	to = s.opts.Clock.Now()
	if v := q.Get("created_to"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return from, to, errParse("created_to: " + err.Error())
		}
		to = time.Unix(n-crossbar.GregorianOffset, 0)
	}
	from = to.Add(-PivotDebugRange)
	if v := q.Get("created_from"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return from, to, errParse("created_from: " + err.Error())
		}
		from = time.Unix(n-crossbar.GregorianOffset, 0)
	}
	return from, to, nil
}

// gregorianTime reads a stored Gregorian timestamp.
func gregorianTime(v any) time.Time {
	n, _ := v.(json.Number)
	secs, _ := n.Int64()
	return time.Unix(secs-crossbar.GregorianOffset, 0)
}

// decodeJSON decodes with numbers as json.Number, so documents keep their
// numbers exactly.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

// intValue reads a stored integer; anything else is 0.
func intValue(v any) int {
	n, _ := v.(json.Number)
	i, _ := strconv.Atoi(n.String())
	return i
}

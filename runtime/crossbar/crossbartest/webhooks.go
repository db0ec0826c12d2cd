package crossbartest

// The webhooks endpoints, as the Kazoo Crossbar fact sheet (part 2, §2.1 to
// §2.4) and Kazoo's cb_webhooks describe them:
//
//   - GET /v2/webhooks, without a token: the hook types the cluster offers;
//   - /v2/accounts/{A}/webhooks: GET (listing), PUT (create), PATCH with
//     {"re-enable": true} (re-enables the hooks Kazoo disabled itself);
//   - /v2/accounts/{A}/webhooks/{ID}: GET, POST, PATCH, DELETE;
//   - /v2/accounts/{A}/webhooks/attempts and …/webhooks/{ID}/attempts: the
//     attempt log, newest first, over the same time range as the Pivot
//     debug log.
//
// A webhook is checked on save against the embedded "webhooks" schema by
// kzgen's validator, its uri by the client-URL blacklist (§1.5), and its
// hook against the hook types offered plus "all", as the schema a running
// cluster revises at start-up requires (§1.10). Kazoo also checks the
// custom_data "modifiers" some hook types define (object, notifications);
// the fake does not.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Webhooks is the account collection of webhook documents.
const Webhooks crossbar.Resource = "webhooks"

// Kazoo's rule for disabling a failing hook (§2.4): WebhookFailureCount or
// more failed attempts within WebhookFailureWindow disable it, with
// WebhookDisabledReason as its disable_reason, until it is re-enabled.
const (
	WebhookFailureCount   = 6
	WebhookFailureWindow  = time.Minute
	WebhookDisabledReason = "too many failed attempts"
)

// HookType is one hook the fake offers, as GET /v2/webhooks lists it.
type HookType struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// HookTypes are the hooks the fake offers (§2.3); a webhook's hook must be
// one of them or "all".
var HookTypes = []HookType{
	{"channel_create", "Channel Create", "A call leg is created."},
	{"channel_answer", "Channel Answer", "A call leg is answered."},
	{"channel_bridge", "Channel Bridge", "A call leg is bridged to another."},
	{"channel_destroy", "Channel Destroy", "A call leg ends, usually on hangup."},
	{"object", "Object", "A document of the account is created, edited or deleted."},
	{"notifications", "Notifications", "One of Kazoo's notifications, such as voicemail_new."},
	{"parking", "Parking", "A call is parked, retrieved, or abandoned while parked."},
	{"sms", "SMS", "A text message is sent or received."},
	{"mms", "MMS", "A multimedia message is sent or received."},
}

// WebhookAttempt is one delivery attempt for the fake's attempt log. Kazoo
// records every failed attempt (and successful ones only when its
// log_successful_attempts is set): AddWebhookAttempts takes what a test
// needs and fills in the rest from the hook, as Kazoo's webhooks_util does.
type WebhookAttempt struct {
	// HookID is the webhook's document ID.
	HookID string
	// Time is when the attempt was made; zero means the clock's time.
	Time time.Time
	// StatusCode is the receiver's answer (0 when none came). 200 is a
	// success; anything else a failure ("bad response code").
	StatusCode int
	// ResponseBody is the body of the receiver's answer.
	ResponseBody string
	// ClientError is the HTTP client's error when no answer came, such as
	// "econnrefused" or "timeout": a failure ("kazoo http client error").
	ClientError string
	// RetriesLeft is how many retries remained after the attempt.
	RetriesLeft int
}

// hookState is what Kazoo keeps about an account's webhooks outside their
// documents.
type hookState struct {
	disabled map[string]string // hook ID → why Kazoo disabled it (pvt_disabled_message)
	attempts []map[string]any  // the attempt log, in the order recorded
}

func (a *Account) webhooks() *hookState {
	if a.hooks == nil {
		a.hooks = &hookState{disabled: map[string]string{}}
	}
	return a.hooks
}

// AddWebhook stores a webhook document through Crossbar's rules, as a PUT
// would, and returns its ID; a refused document returns the error Crossbar
// would answer.
func (a *Account) AddWebhook(doc map[string]any) (string, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	fields, err := roundTrip(doc)
	if err != nil {
		return "", err
	}
	id, apiErr := a.s.saveWebhook(a, "", fields)
	if apiErr != nil {
		return "", apiErr
	}
	return id, nil
}

// AddWebhookAttempts records delivery attempts in the attempt log, each
// with the fields Kazoo records (hook_event, uri, method, custom_data and
// the request body among them), then applies Kazoo's disabler: a hook with
// WebhookFailureCount failures within the WebhookFailureWindow before the
// clock's time is disabled, with WebhookDisabledReason. Kazoo runs that
// check every 15 seconds; the fake runs it at once.
func (a *Account) AddWebhookAttempts(attempts ...WebhookAttempt) error {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	st := a.webhooks()
	for _, at := range attempts {
		hook, ok := a.docs[Webhooks][at.HookID]
		if !ok {
			return fmt.Errorf("crossbartest: no webhook %q in account %s", at.HookID, a.ID)
		}
		if at.Time.IsZero() {
			at.Time = a.s.opts.Clock.Now()
		}
		st.attempts = append(st.attempts, attemptRecord(at, hook.fields))
	}
	now := a.s.opts.Clock.Now()
	for _, id := range a.sortedIDs(Webhooks) {
		if _, done := st.disabled[id]; done {
			continue
		}
		failures := 0
		for _, r := range st.attempts {
			t := gregorianTime(r["timestamp"])
			if r["hook_id"] == id && r["result"] == "failure" && !t.After(now) && now.Sub(t) < WebhookFailureWindow {
				failures++
			}
		}
		if failures >= WebhookFailureCount {
			a.docs[Webhooks][id].fields["enabled"] = false
			st.disabled[id] = WebhookDisabledReason
		}
	}
	return nil
}

// attemptRecord is the attempt log entry Kazoo writes (webhooks_util
// debug_req and debug_resp): the request as sent, the answer or the
// client's error, and the outcome.
func attemptRecord(at WebhookAttempt, hook map[string]any) map[string]any {
	custom, _ := hook["custom_data"].(map[string]any)
	body, _ := json.Marshal(custom) // stands in for the payload, which carries custom_data
	verb, _ := hook["http_verb"].(string)
	if verb == "" {
		verb = "post"
	}
	r := map[string]any{
		"hook_id":     at.HookID,
		"hook_event":  hook["hook"],
		"custom_data": custom,
		"event_id":    randomHex(16),
		"uri":         hook["uri"],
		"method":      verb,
		"req_body":    string(body),
		"timestamp":   json.Number(strconv.FormatInt(at.Time.Unix()+crossbar.GregorianOffset, 10)),
	}
	switch {
	case at.StatusCode != 0:
		r["resp_status_code"] = strconv.Itoa(at.StatusCode) // Kazoo stores it as text
		r["resp_body"] = at.ResponseBody
		r["result"] = "success"
		if at.StatusCode != http.StatusOK {
			r["result"], r["reason"] = "failure", "bad response code"
			r["retries_left"] = at.RetriesLeft
		}
	default:
		r["result"], r["reason"] = "failure", "kazoo http client error"
		r["client_error"] = at.ClientError
		r["retries_left"] = at.RetriesLeft
	}
	return r
}

// WebhookDisabled returns why Kazoo disabled the hook, and whether it did.
func (a *Account) WebhookDisabled(id string) (string, bool) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	reason, ok := a.webhooks().disabled[id]
	return reason, ok
}

// hookTypes serves GET /v2/webhooks, which needs no token (§2.1).
func (s *Server) hookTypes(x *exchange) (*result, *apiError) {
	if x.method != http.MethodGet {
		return refuse(errInvalidMethod(x.method))
	}
	if e := s.charge(x, "", RequestCost); e != nil {
		return refuse(e)
	}
	return success(http.StatusOK, HookTypes)
}

// webhookCollection serves /v2/accounts/{A}/webhooks[/…]; rest is the path
// after "webhooks".
func (s *Server) webhookCollection(x *exchange, a *Account, rest []string) (*result, *apiError) {
	switch {
	case len(rest) == 0:
		switch x.method {
		case http.MethodGet:
			var rows []map[string]any
			ids := a.sortedIDs(Webhooks)
			for _, id := range ids {
				rows = append(rows, webhookRow(id, a.docs[Webhooks][id].fields, a.webhooks().disabled[id]))
			}
			return s.page(x, rows, ids)
		case http.MethodPut:
			doc, ok := x.data.(map[string]any)
			if !ok {
				return refuse(errParse(`the envelope's "data" is not an object`))
			}
			id, e := s.saveWebhook(a, "", doc)
			if e != nil {
				return refuse(e)
			}
			return s.webhookReply(a, id, http.StatusCreated)
		case http.MethodPatch:
			return s.reenableWebhooks(x, a)
		}
		return refuse(errInvalidMethod(x.method))
	case len(rest) == 1 && rest[0] == "attempts":
		return s.webhookAttempts(x, a, "")
	case len(rest) == 1:
		return s.webhook(x, a, rest[0])
	case len(rest) == 2 && rest[1] == "attempts":
		return s.webhookAttempts(x, a, rest[0])
	}
	return refuse(errNotFound("unknown resource webhooks/" + strings.Join(rest, "/")))
}

// webhook serves GET, POST (replace), PATCH (merge) and DELETE on one
// webhook.
func (s *Server) webhook(x *exchange, a *Account, id string) (*result, *apiError) {
	d, ok := a.docs[Webhooks][id]
	if !ok {
		return refuse(errBadIdentifier(id))
	}
	switch x.method {
	case http.MethodGet:
		return s.webhookReply(a, id, http.StatusOK)
	case http.MethodPost, http.MethodPatch:
		doc, ok := x.data.(map[string]any)
		if !ok {
			return refuse(errParse(`the envelope's "data" is not an object`))
		}
		if x.method == http.MethodPatch {
			merged, _ := roundTrip(d.fields)
			doc = merge(merged, doc)
		}
		if _, e := s.saveWebhook(a, id, doc); e != nil {
			return refuse(e)
		}
		return s.webhookReply(a, id, http.StatusOK)
	case http.MethodDelete:
		delete(a.docs[Webhooks], id)
		delete(a.webhooks().disabled, id)
		return success(http.StatusOK, map[string]any{"id": id, "_read_only": map[string]any{"deleted": true}})
	}
	return refuse(errInvalidMethod(x.method))
}

// webhookReply answers with a webhook, its "id", its disable_reason when
// Kazoo disabled it, and its revision.
func (s *Server) webhookReply(a *Account, id string, status int) (*result, *apiError) {
	d := a.docs[Webhooks][id]
	doc, _ := roundTrip(d.fields)
	doc["id"] = id
	if reason, ok := a.webhooks().disabled[id]; ok {
		doc["disable_reason"] = reason
	}
	return &result{status: status, data: doc, extra: map[string]any{"revision": d.revision()}}, nil
}

// webhookRow is a webhook's listing row (the webhooks/crossbar_listing
// view): enabled defaults to true, disable_reason only when Kazoo disabled
// it; http_verb and the other settings are not in it.
func webhookRow(id string, doc map[string]any, disabled string) map[string]any {
	row := map[string]any{"id": id, "enabled": true}
	for _, f := range []string{"hook", "name", "uri", "group", "enabled"} {
		if v, ok := doc[f]; ok {
			row[f] = v
		}
	}
	if disabled != "" {
		row["disable_reason"] = disabled
	}
	return row
}

// saveWebhook applies Crossbar's rules to a webhook and stores it under id
// (a new ID when empty), returning the ID. A hook saved enabled loses the
// mark of Kazoo's disabler, as kzd_webhooks:enable clears it.
func (s *Server) saveWebhook(a *Account, id string, doc map[string]any) (string, *apiError) {
	delete(doc, "id")
	delete(doc, "disable_reason")
	p, err := checkWebhook(doc, s.blacklist)
	if err != nil {
		return "", errSchemas(err)
	}
	if e := p.err(); e != nil {
		return "", e
	}
	if id == "" {
		id = randomHex(16)
	}
	if a.docs[Webhooks] == nil {
		a.docs[Webhooks] = map[string]*document{}
	}
	rev := 1
	if old, ok := a.docs[Webhooks][id]; ok {
		rev = old.rev + 1
	}
	a.docs[Webhooks][id] = &document{fields: doc, rev: rev}
	if doc["enabled"] != false {
		delete(a.webhooks().disabled, id)
	}
	return id, nil
}

// webhookValidator checks webhook documents against the embedded
// "webhooks" schema. Its own URL blacklist is empty: the fake applies its
// configured one (Options.URLBlacklist) itself.
var webhookValidator = sync.OnceValues(func() (*validate.Validator, error) {
	return validate.New(validate.WithBlacklist(&validate.Blacklist{}))
})

// checkWebhook returns the problems Crossbar finds in a webhook document:
// the schema's, the client-URL check on uri, and a hook the cluster does
// not offer.
func checkWebhook(doc map[string]any, blacklist *kzrt.Blacklist) (problems, error) {
	v, err := webhookValidator()
	if err != nil {
		return nil, fmt.Errorf("crossbartest: building the webhooks validator: %w", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("crossbartest: %w", err)
	}
	res, err := v.ValidateSchema("webhooks", data)
	if err != nil {
		return nil, fmt.Errorf("crossbartest: %w", err)
	}
	p := problems{}
	if uri, ok := doc["uri"].(string); ok && blacklist.CheckURL(uri) != nil {
		p.add("/uri", "error", "invalid client URL", map[string]any{"value": uri})
	}
	for _, pr := range res.Problems {
		details := map[string]any{}
		if v, ok := lookupPointer(doc, pr.Pointer); ok {
			details["value"] = v
		}
		p.add(pr.Pointer, pr.Code, pr.Message, details)
	}
	if hook, ok := doc["hook"].(string); ok && hook != "all" && !slices.ContainsFunc(HookTypes, func(t HookType) bool { return t.ID == hook }) {
		targets := []string{"all"}
		for _, t := range HookTypes {
			targets = append(targets, t.ID)
		}
		slices.Sort(targets)
		p.add("/hook", "enum", "Value not found in enumerated list of values", map[string]any{"value": hook, "target": targets})
	}
	return p, nil
}

// reenableWebhooks serves PATCH /v2/accounts/{A}/webhooks: with
// {"re-enable": true} it re-enables every hook of the account that Kazoo
// disabled itself; hooks disabled through the API stay disabled (§2.1,
// webhooks_maintenance). Kazoo answers "hooks updated" and does the work
// in its webhooks app, in the background; the fake does it at once.
func (s *Server) reenableWebhooks(x *exchange, a *Account) (*result, *apiError) {
	data, _ := x.data.(map[string]any)
	v, ok := data["re-enable"]
	if !ok {
		p := problems{}
		p.add("/re-enable", "required", "re-enable is required to patch collections", nil)
		return refuse(p.err())
	}
	if v != true && v != "true" {
		p := problems{}
		p.add("/re-enable", "enum", "value not found in enumerated list of values", map[string]any{"target": []any{true}})
		return refuse(p.err())
	}
	st := a.webhooks()
	for id := range st.disabled {
		a.docs[Webhooks][id].fields["enabled"] = true
		delete(st.disabled, id)
	}
	return success(http.StatusOK, "hooks updated")
}

// webhookAttempts serves the attempt log of the account, or of one hook
// (hookID not empty), newest first, within created_from and created_to
// (default: the last PivotDebugRange). An unknown hook has an empty log.
func (s *Server) webhookAttempts(x *exchange, a *Account, hookID string) (*result, *apiError) {
	if x.method != http.MethodGet {
		return refuse(errInvalidMethod(x.method))
	}
	from, to, e := s.timeRange(x)
	if e != nil {
		return refuse(e)
	}
	var rows []map[string]any
	var keys []string
	for i, r := range a.webhooks().attempts {
		t := gregorianTime(r["timestamp"])
		if hookID != "" && r["hook_id"] != hookID || t.Before(from) || t.After(to) {
			continue
		}
		rows = append(rows, r)
		keys = append(keys, fmt.Sprintf("%020d-%08d", t.Unix(), i))
	}
	return s.page(x, rows, keys)
}

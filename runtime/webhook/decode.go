package webhook

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kzgen/kzgen/runtime/wire"
)

// GregorianUnixOffset is the number of seconds from 0000-01-01 to
// 1970-01-01 (UTC): Kazoo's timestamps are Gregorian seconds, Unix seconds
// plus this offset.
const GregorianUnixOffset = 62167219200

// GregorianSeconds returns t as Kazoo writes timestamps: whole seconds since
// 0000-01-01 UTC.
func GregorianSeconds(t time.Time) int64 { return t.Unix() + GregorianUnixOffset }

// ErrUnsupportedMethod is wrapped by the errors for HTTP methods other than
// GET, POST and PUT, the only ones Kazoo's webhooks use.
var ErrUnsupportedMethod = errors.New("unsupported method: Kazoo's webhooks send only GET, POST or PUT")

// BodyError reports a JSON body that could not be decoded, with the byte
// offset and the field being decoded (e.g. "custom_channel_vars[x]"); Parse
// returns it wrapped. Pivot requests and webhook deliveries share it.
type BodyError = wire.BodyError

// FieldError reports a field whose value does not fit its type.
type FieldError struct {
	Field string // the field's name, e.g. "duration_seconds"
	Value string // the value received, as text
	Err   error  // what is wrong with it
}

// Error names the field and the problem.
func (e *FieldError) Error() string {
	return fmt.Sprintf("webhook: field %s: %q: %v", e.Field, e.Value, e.Err)
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// Parse reads one webhook delivery as Kazoo sends it and decodes it into a
// typed Event:
//
//   - GET: the fields are the URL's query string, form-encoded (the hook
//     URI's own query parameters arrive among them). Kazoo joins the payload
//     to the URI with "?" even when the URI already has a query (from its
//     code; unverified in practice), so a "?" inside the query separates
//     pairs like "&". The body is not read.
//   - POST or PUT with Content-Type application/x-www-form-urlencoded: the
//     form body; with application/json (or any "+json" type): one JSON
//     object. Media types are compared case-insensitively, parameters
//     ignored. With no or another Content-Type (Kazoo always sends one),
//     a body that decodes as a JSON object is read as JSON, anything else
//     as a form. An empty body has no fields.
//
// Forms nest bracketed keys: "a[b][c]=v" is an object in an object,
// "a[b][]=v" a list in an object; see wire.DecodeForm for the rules. Form
// decoding cannot fail. A JSON body that does not decode gives a
// *BodyError naming the byte offset and field.
//
// Which event a delivery is comes from its fields, since one URL may serve
// several hooks: hook_event names the channel events; event_category
// "notification" marks notifications; an event_name starting with "PARK_"
// marks parking; action "doc_…" with an id marks object changes; a call_id
// with none of those marks the callflow webhook action. Anything else is an
// UnknownEvent. Values that do not fit a typed field are reported in
// Delivery.Problems, not as an error.
//
// The body is read to its end and not closed: bound it with
// http.MaxBytesReader (Handler does); a read error is returned wrapped.
// Methods other than GET, POST and PUT give an error wrapping
// ErrUnsupportedMethod.
func Parse(r *http.Request) (Event, error) {
	d, err := readDelivery(r)
	if err != nil {
		return nil, err
	}
	return decode(d), nil
}

// readDelivery reads the fields and metadata of a delivery.
func readDelivery(r *http.Request) (*Delivery, error) {
	if r == nil {
		return nil, errors.New("webhook: nil *http.Request")
	}
	method, rawQuery := wire.MethodAndQuery(r)
	d := &Delivery{
		Method:        method,
		HookID:        r.Header.Get("X-Hook-ID"),
		HookAccountID: r.Header.Get("X-Account-ID"),
		Header:        r.Header.Clone(),
	}
	if d.Header == nil {
		d.Header = http.Header{}
	}
	d.Header.Del("Authorization")

	switch method {
	case http.MethodGet:
		d.Format = FormatQuery
		d.Raw, d.Values = wire.DecodeForm(strings.ReplaceAll(rawQuery, "?", "&"))
	case http.MethodPost, http.MethodPut:
		if rawQuery != "" {
			_, d.URLQuery = wire.DecodeForm(rawQuery)
		}
		var body []byte
		if r.Body != nil {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				return nil, fmt.Errorf("webhook: reading the %s body: %w", method, err)
			}
		}
		var err error
		d.Raw, d.Values, d.Format, err = wire.DecodeBody(r.Header.Get("Content-Type"), body)
		if err != nil {
			return nil, fmt.Errorf("webhook: %w", err)
		}
	default:
		return nil, fmt.Errorf("webhook: method %q: %w", r.Method, ErrUnsupportedMethod)
	}
	return d, nil
}

// ---------------------------------------------------------------------------
// Typed events

// decode picks the event type for d's fields (see Parse) and fills it.
func decode(d *Delivery) Event {
	f := &fieldReader{d: d, taken: map[string]bool{}}
	d.ClusterID = f.text("cluster_id")
	hookEvent, _ := d.Raw.Lookup("hook_event")
	eventName, _ := d.Raw.Lookup("event_name")
	action, _ := d.Raw.Lookup("action")
	var ev Event
	switch name := hookEvent.Text(); {
	case strings.HasPrefix(name, "channel_"):
		ev = f.channel(name)
	case name == HookObject:
		ev = f.object()
	case name == HookNotifications:
		ev = f.notification()
	case name == HookParking:
		ev = f.parking()
	case name != "":
		ev = f.unknown(name)
	case f.d.Get("event_category") == "notification":
		ev = f.notification()
	case strings.HasPrefix(eventName.Text(), "PARK_"):
		ev = f.parking()
	case eventName.Text() != "":
		ev = f.unknown(eventName.Text())
	case strings.HasPrefix(action.Text(), "doc_") && d.Raw.Has("id"):
		ev = f.object()
	case d.Get("call_id") != "":
		ev = f.callflow()
	default:
		ev = f.unknown("")
	}
	f.finish()
	*ev.Info() = *d
	return ev
}

func (f *fieldReader) channel(name string) *ChannelEvent {
	f.d.hook = name
	f.take("hook_event")
	return &ChannelEvent{
		Call:                      f.call(),
		ResellerID:                f.text("reseller_id"),
		CallDirection:             f.text("call_direction"),
		CallForwarded:             f.bool("call_forwarded"),
		CustomChannelVars:         f.texts("custom_channel_vars"),
		EmergencyResourceUsed:     f.bool("emergency_resource_used"),
		LocalResourceUsed:         f.bool("local_resource_used"),
		LocalResourceID:           f.text("local_resource_id"),
		IsInternalLeg:             f.bool("is_internal_leg"),
		Timestamp:                 f.time("timestamp"),
		OriginalNumber:            f.text("original_number"),
		OtherLegDestinationNumber: f.text("other_leg_destination_number"),
		HangupCause:               f.text("hangup_cause"),
		HangupCode:                f.text("hangup_code"),
		Duration:                  f.seconds("duration_seconds"),
		RingingDuration:           f.seconds("ringing_seconds"),
		BillingDuration:           f.seconds("billing_seconds"),
	}
}

func (f *fieldReader) call() Call {
	return Call{
		CallID:                f.text("call_id"),
		OtherLegCallID:        f.text("other_leg_call_id"),
		AccountID:             f.text("account_id"),
		CallerIDName:          f.text("caller_id_name"),
		CallerIDNumber:        f.text("caller_id_number"),
		CalleeIDName:          f.text("callee_id_name"),
		CalleeIDNumber:        f.text("callee_id_number"),
		From:                  f.text("from"),
		To:                    f.text("to"),
		Request:               f.text("request"),
		Inception:             f.text("inception"),
		AuthorizingID:         f.text("authorizing_id"),
		AuthorizingType:       f.text("authorizing_type"),
		OwnerID:               f.text("owner_id"),
		CustomApplicationVars: f.texts("custom_application_vars"),
	}
}

func (f *fieldReader) object() *ObjectEvent {
	f.d.hook = HookObject
	f.take("hook_event")
	return &ObjectEvent{
		ID:        f.text("id"),
		AccountID: f.text("account_id"),
		Action:    f.text("action"),
		Type:      f.text("type"),
	}
}

func (f *fieldReader) notification() *NotificationEvent {
	f.d.hook = HookNotifications
	f.take("hook_event")
	return &NotificationEvent{
		Name:       f.text("event_name"),
		Category:   f.text("event_category"),
		AccountID:  f.text("account_id"),
		CallID:     f.text("call_id"),
		Timestamp:  f.time("timestamp"),
		AppName:    f.text("app_name"),
		AppVersion: f.text("app_version"),
		Node:       f.text("node"),
		MsgID:      f.text("msg_id"),
	}
}

func (f *fieldReader) parking() *ParkingEvent {
	f.d.hook = HookParking
	f.take("hook_event")
	return &ParkingEvent{
		Name:           f.text("event_name"),
		AccountID:      f.text("account_id"),
		CallID:         f.text("call_id"),
		CallerIDName:   f.text("caller_id_name"),
		CallerIDNumber: f.text("caller_id_number"),
		CalleeIDName:   f.text("callee_id_name"),
		CalleeIDNumber: f.text("callee_id_number"),
		ParkingSlot:    f.text("parking_slot"),
	}
}

func (f *fieldReader) callflow() *CallflowEvent {
	f.d.hook = HookCallflow
	return &CallflowEvent{Call: f.call(), Language: f.text("language")}
}

func (f *fieldReader) unknown(name string) *UnknownEvent {
	f.d.hook = name
	return &UnknownEvent{}
}

// ---------------------------------------------------------------------------
// Reading fields leniently

// fieldReader reads typed fields from a delivery's top level, remembering
// which fields it took (the rest are Extra) and recording values that do
// not fit in d.Problems.
type fieldReader struct {
	d     *Delivery
	taken map[string]bool
}

// take marks key as held by a typed field and returns its value; JSON null
// is absent.
func (f *fieldReader) take(key string) (Value, bool) {
	f.taken[key] = true
	v, ok := f.d.Raw.Lookup(key)
	if !ok || v.Kind() == wire.KindNull {
		return Value{}, false
	}
	return v, true
}

// problem records a value that does not fit its field.
func (f *fieldReader) problem(key string, v Value, err error) {
	f.d.Problems = append(f.d.Problems, &FieldError{Field: key, Value: v.Text(), Err: err})
}

// finish computes Extra: the top-level fields nothing took.
func (f *fieldReader) finish() {
	f.d.Extra = nil
	for _, kv := range f.d.Raw {
		if !f.taken[kv.Key] {
			f.d.Extra = append(f.d.Extra, kv)
		}
	}
}

// text reads a string field; numbers and booleans give their text, lists
// and objects their JSON.
func (f *fieldReader) text(key string) string {
	v, _ := f.take(key)
	return v.Text()
}

// bool reads a boolean: JSON true/false, or the strings "true", "false",
// "1", "0" in any case. An empty string is false.
func (f *fieldReader) bool(key string) bool {
	v, ok := f.take(key)
	if !ok {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(v.Text())) {
	case "true", "1":
		return true
	case "false", "0", "":
		return false
	}
	f.problem(key, v, errors.New("not a boolean"))
	return false
}

// number reads a JSON number or a decimal string; "" is absent.
func (f *fieldReader) number(key string) (float64, Value, bool) {
	v, ok := f.take(key)
	if !ok {
		return 0, v, false
	}
	s := strings.TrimSpace(v.Text())
	if s == "" || v.Kind() == wire.KindList || v.Kind() == wire.KindObject || v.Kind() == wire.KindBool {
		if s != "" {
			f.problem(key, v, errors.New("not a number"))
		}
		return 0, v, false
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		f.problem(key, v, errors.New("not a number"))
		return 0, v, false
	}
	return n, v, true
}

// maxSeconds bounds durations to what time.Duration holds without overflow.
const maxSeconds = float64(math.MaxInt64 / int64(time.Second))

// maxTimestamp bounds timestamps, Gregorian or Unix, to the year 300000 or
// so: far beyond any real event, well within what time.Time holds.
const maxTimestamp = 1e13

// seconds reads a duration in seconds, a whole or fractional number.
func (f *fieldReader) seconds(key string) time.Duration {
	n, v, ok := f.number(key)
	if !ok {
		return 0
	}
	if n < 0 || n > maxSeconds {
		f.problem(key, v, errors.New("not a duration in seconds"))
		return 0
	}
	return time.Duration(n * float64(time.Second))
}

// time reads a timestamp: Gregorian seconds (Kazoo's own), or Unix seconds
// for values below GregorianUnixOffset (no Gregorian time after 1970 is that
// small); fractions are kept. An RFC 3339 string is accepted too. 0 is
// absent.
func (f *fieldReader) time(key string) time.Time {
	if v, ok := f.d.Raw.Lookup(key); ok && v.Kind() == wire.KindString {
		if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v.Text())); err == nil {
			f.take(key)
			return t.UTC()
		}
	}
	n, v, ok := f.number(key)
	switch {
	case !ok || n == 0:
		return time.Time{}
	case n < 0 || n > maxTimestamp:
		f.problem(key, v, errors.New("not a timestamp in seconds"))
		return time.Time{}
	case n >= GregorianUnixOffset:
		n -= GregorianUnixOffset
	}
	whole, frac := math.Modf(n)
	return time.Unix(int64(whole), int64(frac*float64(time.Second))).UTC()
}

// texts reads an object of strings; members that are not strings are kept
// as their text or JSON, nulls left out. An empty string is absent.
func (f *fieldReader) texts(key string) map[string]string {
	v, ok := f.take(key)
	if !ok {
		return nil
	}
	if v.Kind() != wire.KindObject {
		if v.Text() != "" {
			f.problem(key, v, errors.New("not an object"))
		}
		return nil
	}
	var m map[string]string
	for _, kv := range v.Members() {
		if kv.Value.Kind() == wire.KindNull {
			continue
		}
		if m == nil {
			m = make(map[string]string, len(v.Members()))
		}
		m[kv.Key] = kv.Value.Text()
	}
	return m
}

package pivot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Format names the parameter naming of a Pivot request, chosen by the pivot
// callflow's req_format.
type Format uint8

// The parameter namings. FormatUnknown is a request with no name that only
// one naming uses (e.g. only From and To).
const (
	FormatUnknown Format = iota
	FormatKazoo          // req_format "kazoo": Call-ID, Caller-ID-Name, …
	FormatTwiML          // req_format "twiml": CallSid, CallerName, …
)

// String returns "kazoo", "twiml" or "unknown".
func (f Format) String() string {
	switch f {
	case FormatKazoo:
		return "kazoo"
	case FormatTwiML:
		return "twiml"
	}
	return "unknown"
}

// BodyFormat says where a request's parameters travel.
type BodyFormat uint8

// The parameter carriers. The zero value means "not set".
const (
	BodyQuery BodyFormat = iota + 1 // GET query string, form-encoded
	BodyForm                        // POST, application/x-www-form-urlencoded
	BodyJSON                        // POST, application/json
)

// String returns "query", "form", "json" or "unset".
func (b BodyFormat) String() string {
	switch b {
	case BodyQuery:
		return "query"
	case BodyForm:
		return "form"
	case BodyJSON:
		return "json"
	}
	return "unset"
}

// Values Kazoo always sends for these parameters.
const (
	KazooAPIVersion  = "4.x"        // Api-Version in the kazoo naming
	TwiMLAPIVersion  = "2010-04-01" // ApiVersion in the twiml naming
	DirectionInbound = "inbound"    // Direction in both namings
)

// ErrUnsupportedMethod is wrapped by the errors for HTTP methods other than
// GET and POST, the only two Kazoo uses.
var ErrUnsupportedMethod = errors.New("unsupported method: Kazoo sends only GET or POST")

// Request is one Pivot request from Kazoo, with every parameter Kazoo sends in
// a typed field, whichever naming (kazoo or twiml) it arrived in. A field is
// "" (or nil, or zero) when the parameter was absent. Values that arrived as
// JSON numbers or booleans are kept as their text; a list or object where a
// string belongs is kept as its compact JSON text.
type Request struct {
	Method     string     // HTTP method: "GET" or "POST" ("HEAD" is read like GET)
	BodyFormat BodyFormat // where the parameters were: query, form or json
	Format     Format     // naming seen in the keys; FormatUnknown is read with the twiml names

	CallID         string   // Call-ID / CallSid
	AccountID      string   // Account-ID / AccountSid
	From           string   // From: user part of the SIP From
	FromRealm      string   // From-Realm / FromRealm
	To             string   // To: user part of the SIP To
	ToRealm        string   // To-Realm / ToRealm
	RequestUser    string   // Request: user part of the SIP Request-URI (kazoo only)
	RequestRealm   string   // Request-Realm (kazoo only)
	CallerIDName   string   // Caller-ID-Name / CallerName
	CallerIDNumber string   // Caller-ID-Number / CallerNumber
	UserIDs        []string // User-ID: owner IDs, from one string or a list (kazoo only)
	Language       string   // Language (kazoo only)
	Direction      string   // Direction: always "inbound"
	APIVersion     string   // Api-Version "4.x" / ApiVersion "2010-04-01"
	CallStatus     string   // Call-Status / CallStatus

	// Digits is the Digits parameter: a plain string, or DTMF collections
	// by name.
	Digits Digits

	// CustomApplicationVars and CustomSIPHeaders are the
	// Custom-Application-Vars and Custom-SIP-Headers objects (kazoo only).
	// Member values that are not strings are kept as their text or JSON;
	// a non-object value leaves the map nil (it is still in Raw).
	CustomApplicationVars map[string]string
	CustomSIPHeaders      map[string]string

	RecordingDuration   string // Recording-Duration / RecordingDuration
	RecordingID         string // Recording-ID / RecordingSid
	RecordingURL        string // Recording-Url / RecordingUrl
	TranscriptionID     string // Transcription-ID / TranscriptionSid
	TranscriptionStatus string // Transcription-Status / TranscriptionStatus
	TranscriptionText   string // Transcription-Text / TranscriptionText
	TranscriptionURL    string // Transcription-Url / TranscriptionUrl

	// Vars are the request variables Kazoo merges into every request.
	Vars RequestVars

	// Raw holds every parameter received, known or not, in arrival order:
	// the decoded JSON object, or the query/form pairs with bracketed keys
	// nested back into objects and lists.
	Raw Params
	// Values holds the query or form pairs as sent, keys with their brackets
	// ("Digits[default]", "User-ID[]"); nil for a JSON body.
	Values url.Values
	// URLQuery holds, for POST, the request URL's own query parameters (a
	// voice_url's query string). For GET they are part of Raw and Values,
	// since Kazoo appends its parameters to that same query.
	URLQuery url.Values
}

// RequestVars are the variables Kazoo merges into every Pivot request, GET or
// POST, from kzt_translator:get_user_vars; the base parameters win on a
// shared name. In the twiml naming RecordingUrl, RecordingDuration and
// CallStatus are also base parameters: there the one value fills the
// Request's RecordingURL, RecordingDuration and CallStatus, and the fields of
// the same names here stay empty. Digits always goes to Request.Digits.
type RequestVars struct {
	DialCallStatus    string // DialCallStatus
	DialCallSid       string // DialCallSid
	DialCallDuration  string // DialCallDuration
	QueueSid          string // QueueSid
	RecordingURL      string // RecordingUrl (kazoo naming only)
	RecordingDuration string // RecordingDuration (kazoo naming only)
	CallStatus        string // CallStatus (kazoo naming only)
}

// Get returns the text of the named parameter in Raw, or "" when absent; see
// Params.Lookup for bracketed names such as "Custom-SIP-Headers[X-Foo]".
func (r *Request) Get(name string) string { return r.Raw.Get(name) }

// Lookup returns the named parameter in Raw; see Params.Lookup.
func (r *Request) Lookup(name string) (Value, bool) { return r.Raw.Lookup(name) }

// Digits holds the Digits parameter: either a plain string (the TwiML
// receiver's digit_pressed) or DTMF collections by name (from collect_dtmf,
// sent as Digits[name]=1234 or {"name":"1234"}; the unnamed collection is
// "default"). The zero Digits means no digits.
type Digits struct {
	plain       string
	collections map[string]string
}

// PlainDigits returns Digits holding the plain string s.
func PlainDigits(s string) Digits { return Digits{plain: s} }

// DigitCollections returns Digits holding a copy of the named collections;
// an empty map gives the zero Digits.
func DigitCollections(c map[string]string) Digits {
	if len(c) == 0 {
		return Digits{}
	}
	return Digits{collections: maps.Clone(c)}
}

// String returns the plain digits, or the "default" collection.
func (d Digits) String() string {
	if d.collections != nil {
		return d.collections["default"]
	}
	return d.plain
}

// Collection returns the named collection and whether it exists. Plain
// digits have no collections.
func (d Digits) Collection(name string) (string, bool) {
	s, ok := d.collections[name]
	return s, ok
}

// Names returns the collection names, sorted.
func (d Digits) Names() []string {
	return slices.Sorted(maps.Keys(d.collections))
}

// IsCollections reports whether d holds named collections.
func (d Digits) IsCollections() bool { return d.collections != nil }

// IsZero reports whether d holds no digits.
func (d Digits) IsZero() bool { return d.plain == "" && d.collections == nil }

// Value returns d as Kazoo sends it: a string, or an object of collections
// sorted by name; null when d is zero.
func (d Digits) Value() Value {
	switch {
	case d.collections != nil:
		return Object(sortedObject(d.collections))
	case d.plain != "":
		return String(d.plain)
	}
	return Value{}
}

// digitsFrom reads a received Digits value: an object is a set of
// collections, anything else plain text.
func digitsFrom(v Value) Digits {
	if v.kind == KindObject {
		return Digits{collections: memberTexts(v)}
	}
	return Digits{plain: v.Text()}
}

// ---------------------------------------------------------------------------
// Parameter names

// field ties one parameter name to a Request field: get returns the value to
// send (false when unset), set stores a received value.
type field struct {
	name string
	get  func(r *Request) (Value, bool)
	set  func(r *Request, v Value)
}

// textField is a field holding a plain string.
func textField(name string, ptr func(r *Request) *string) field {
	return field{
		name: name,
		get: func(r *Request) (Value, bool) {
			s := *ptr(r)
			return String(s), s != ""
		},
		set: func(r *Request, v Value) { *ptr(r) = v.Text() },
	}
}

// mapField is a field holding a string-valued object.
func mapField(name string, ptr func(r *Request) *map[string]string) field {
	return field{
		name: name,
		get: func(r *Request) (Value, bool) {
			m := *ptr(r)
			return Object(sortedObject(m)), len(m) > 0
		},
		set: func(r *Request, v Value) { *ptr(r) = memberTexts(v) },
	}
}

var digitsField = field{
	name: "Digits",
	get:  func(r *Request) (Value, bool) { return r.Digits.Value(), !r.Digits.IsZero() },
	set:  func(r *Request, v Value) { r.Digits = digitsFrom(v) },
}

// userIDField is User-ID: omitted with no owner, a string with one, a list
// with several (kzt_kazoo req_params/1). Empty IDs are dropped.
var userIDField = field{
	name: "User-ID",
	get: func(r *Request) (Value, bool) {
		if len(r.UserIDs) == 1 {
			return String(r.UserIDs[0]), true
		}
		return Strings(r.UserIDs...), len(r.UserIDs) > 0
	},
	set: func(r *Request, v Value) {
		r.UserIDs = nil
		items := []Value{v}
		if v.kind == KindList {
			items = v.list
		}
		for _, item := range items {
			if item.kind != KindObject && item.Text() != "" {
				r.UserIDs = append(r.UserIDs, item.Text())
			}
		}
	},
}

// kazooFields are the base parameters of the kazoo naming
// (kzt_kazoo:req_params/1), in the order Request.Params writes them.
var kazooFields = []field{
	textField("Account-ID", func(r *Request) *string { return &r.AccountID }),
	textField("Api-Version", func(r *Request) *string { return &r.APIVersion }),
	textField("Call-ID", func(r *Request) *string { return &r.CallID }),
	textField("Call-Status", func(r *Request) *string { return &r.CallStatus }),
	textField("Caller-ID-Name", func(r *Request) *string { return &r.CallerIDName }),
	textField("Caller-ID-Number", func(r *Request) *string { return &r.CallerIDNumber }),
	mapField("Custom-Application-Vars", func(r *Request) *map[string]string { return &r.CustomApplicationVars }),
	mapField("Custom-SIP-Headers", func(r *Request) *map[string]string { return &r.CustomSIPHeaders }),
	digitsField,
	textField("Direction", func(r *Request) *string { return &r.Direction }),
	textField("From", func(r *Request) *string { return &r.From }),
	textField("From-Realm", func(r *Request) *string { return &r.FromRealm }),
	textField("Language", func(r *Request) *string { return &r.Language }),
	textField("Recording-Duration", func(r *Request) *string { return &r.RecordingDuration }),
	textField("Recording-ID", func(r *Request) *string { return &r.RecordingID }),
	textField("Recording-Url", func(r *Request) *string { return &r.RecordingURL }),
	textField("Request", func(r *Request) *string { return &r.RequestUser }),
	textField("Request-Realm", func(r *Request) *string { return &r.RequestRealm }),
	textField("To", func(r *Request) *string { return &r.To }),
	textField("To-Realm", func(r *Request) *string { return &r.ToRealm }),
	textField("Transcription-ID", func(r *Request) *string { return &r.TranscriptionID }),
	textField("Transcription-Status", func(r *Request) *string { return &r.TranscriptionStatus }),
	textField("Transcription-Text", func(r *Request) *string { return &r.TranscriptionText }),
	textField("Transcription-Url", func(r *Request) *string { return &r.TranscriptionURL }),
	userIDField,
}

// twimlFields are the base parameters of the twiml naming
// (kzt_twiml:req_params/1), in Kazoo's order.
var twimlFields = []field{
	textField("CallSid", func(r *Request) *string { return &r.CallID }),
	textField("AccountSid", func(r *Request) *string { return &r.AccountID }),
	textField("From", func(r *Request) *string { return &r.From }),
	textField("FromRealm", func(r *Request) *string { return &r.FromRealm }),
	textField("To", func(r *Request) *string { return &r.To }),
	textField("ToRealm", func(r *Request) *string { return &r.ToRealm }),
	textField("CallStatus", func(r *Request) *string { return &r.CallStatus }),
	textField("ApiVersion", func(r *Request) *string { return &r.APIVersion }),
	textField("Direction", func(r *Request) *string { return &r.Direction }),
	textField("CallerName", func(r *Request) *string { return &r.CallerIDName }),
	textField("CallerNumber", func(r *Request) *string { return &r.CallerIDNumber }),
	textField("RecordingUrl", func(r *Request) *string { return &r.RecordingURL }),
	textField("RecordingDuration", func(r *Request) *string { return &r.RecordingDuration }),
	textField("RecordingSid", func(r *Request) *string { return &r.RecordingID }),
	digitsField,
	textField("TranscriptionSid", func(r *Request) *string { return &r.TranscriptionID }),
	textField("TranscriptionText", func(r *Request) *string { return &r.TranscriptionText }),
	textField("TranscriptionStatus", func(r *Request) *string { return &r.TranscriptionStatus }),
	textField("TranscriptionUrl", func(r *Request) *string { return &r.TranscriptionURL }),
}

// twimlVars are the request variables (kzt_util:get_request_vars/1) whose
// names no twiml base parameter uses.
var twimlVars = []field{
	textField("DialCallStatus", func(r *Request) *string { return &r.Vars.DialCallStatus }),
	textField("DialCallSid", func(r *Request) *string { return &r.Vars.DialCallSid }),
	textField("DialCallDuration", func(r *Request) *string { return &r.Vars.DialCallDuration }),
	textField("QueueSid", func(r *Request) *string { return &r.Vars.QueueSid }),
}

// kazooVars are the request variables whose names no kazoo base parameter
// uses: the twiml ones plus three the twiml naming shares with its base.
var kazooVars = append(slices.Clip(twimlVars),
	textField("RecordingUrl", func(r *Request) *string { return &r.Vars.RecordingURL }),
	textField("RecordingDuration", func(r *Request) *string { return &r.Vars.RecordingDuration }),
	textField("CallStatus", func(r *Request) *string { return &r.Vars.CallStatus }),
)

// kazooOnly and twimlOnly are the names that only one naming sends; they
// decide a request's Format.
var (
	kazooOnly = onlyIn(kazooFields, twimlFields, kazooVars)
	twimlOnly = onlyIn(twimlFields, kazooFields, kazooVars)
)

// onlyIn returns the names of fields that appear in none of others.
func onlyIn(fields []field, others ...[]field) []string {
	var names []string
	for _, f := range fields {
		shared := false
		for _, list := range others {
			shared = shared || slices.ContainsFunc(list, func(o field) bool { return o.name == f.name })
		}
		if !shared {
			names = append(names, f.name)
		}
	}
	return names
}

// detectFormat picks the naming whose distinctive names are most present in
// p; a tie between two non-zero counts goes to kazoo. The naming is read from
// the keys rather than assumed because which one a pivot node without
// req_format produces is unverified: the schema default is kazoo, but
// pivot_call falls back to twiml when no Request-Format reaches it.
var onlyNames = func() map[string]Format {
	m := map[string]Format{}
	for _, n := range kazooOnly {
		m[n] = FormatKazoo
	}
	for _, n := range twimlOnly {
		m[n] = FormatTwiML
	}
	return m
}()

func detectFormat(p Params) Format {
	kazoo, twiml := 0, 0
	for _, kv := range p {
		switch onlyNames[kv.Key] {
		case FormatKazoo:
			kazoo++
		case FormatTwiML:
			twiml++
		}
	}
	switch {
	case kazoo > 0 && kazoo >= twiml:
		return FormatKazoo
	case twiml > 0:
		return FormatTwiML
	}
	return FormatUnknown
}

// fieldsFor returns the base fields and request variables of a naming.
// FormatUnknown uses the twiml names, Kazoo's own fallback when a pivot
// callflow has no req_format.
func fieldsFor(f Format) (base, vars []field) {
	if f == FormatKazoo {
		return kazooFields, kazooVars
	}
	return twimlFields, twimlVars
}

// fill sets the typed fields from Raw, reading the names of r.Format.
var (
	kazooSetters = setters(kazooFields, kazooVars)
	twimlSetters = setters(twimlFields, twimlVars)
)

func setters(lists ...[]field) map[string]func(*Request, Value) {
	m := map[string]func(*Request, Value){}
	for _, l := range lists {
		for _, f := range l {
			m[f.name] = f.set
		}
	}
	return m
}

func (r *Request) fill() {
	set := twimlSetters
	if r.Format == FormatKazoo {
		set = kazooSetters
	}
	for _, kv := range r.Raw {
		if f := set[kv.Key]; f != nil {
			f(r, kv.Value)
		}
	}
}

// Params returns the parameter set Kazoo would send for r in the naming f
// (FormatUnknown gives twiml, Kazoo's fallback): the base parameters that
// are set, then the request variables that are set, a base parameter
// winning over a variable of the same name. Fields the naming lacks are left
// out (the twiml naming has no Request, Request-Realm, Language, User-ID or
// Custom-* parameters). Raw, Values and URLQuery are not consulted.
func (r *Request) Params(f Format) Params {
	base, vars := fieldsFor(f)
	var p Params
	for _, fd := range base {
		if v, ok := fd.get(r); ok {
			p = append(p, Param{Key: fd.name, Value: v})
		}
	}
	for _, fd := range vars {
		if v, ok := fd.get(r); ok && !p.Has(fd.name) {
			p = append(p, Param{Key: fd.name, Value: v})
		}
	}
	return p
}

// sortedObject returns m as object members sorted by key; nil when empty.
func sortedObject(m map[string]string) Params {
	var p Params
	for _, k := range slices.Sorted(maps.Keys(m)) {
		p = append(p, Param{Key: k, Value: String(m[k])})
	}
	return p
}

// memberTexts returns the members of an object Value as text, nulls left
// out; nil for an empty object or any other kind.
func memberTexts(v Value) map[string]string {
	var m map[string]string
	for _, kv := range v.obj {
		if kv.Value.kind == KindNull {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[kv.Key] = kv.Value.Text()
	}
	return m
}

// ---------------------------------------------------------------------------
// Parsing

// ParseRequest reads a Pivot request as Kazoo sends it:
//
//   - GET (and HEAD): the parameters are the URL's query string, form-encoded
//     (a voice_url's own query parameters arrive among them); the body is
//     never read.
//   - POST with Content-Type application/x-www-form-urlencoded: the form
//     body. With application/json (or any "+json" type): one JSON object.
//     Media types are compared case-insensitively, parameters (charset)
//     ignored.
//   - POST with no or another Content-Type: Kazoo never sends that, so,
//     leniently, a body that starts with "{" and decodes as a JSON object is
//     read as JSON, and anything else as a form body (form decoding cannot
//     fail).
//
// An empty POST body gives a request with no parameters. The form decoding
// rules are DecodeForm's, the JSON ones DecodeJSON's. The body is read once,
// to its end, and not closed: wrap it in http.MaxBytesReader to bound it;
// a read error, such as *http.MaxBytesError, is returned wrapped. A JSON body
// that does not decode gives a *BodyError naming the byte offset and field.
// Methods other than GET, HEAD and POST give an error wrapping
// ErrUnsupportedMethod.
func ParseRequest(r *http.Request) (*Request, error) {
	if r == nil {
		return nil, errors.New("pivot: nil *http.Request")
	}
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet // net/http's meaning of an empty Method
	}
	rawQuery := ""
	if r.URL != nil {
		rawQuery = r.URL.RawQuery
	}

	req := &Request{Method: method}
	switch method {
	case http.MethodGet, http.MethodHead:
		req.BodyFormat = BodyQuery
		req.Raw, req.Values = DecodeForm(rawQuery)
	case http.MethodPost:
		if rawQuery != "" {
			_, req.URLQuery = DecodeForm(rawQuery)
		}
		body, err := readBody(r.Body)
		if err != nil {
			return nil, fmt.Errorf("pivot: reading POST body: %w", err)
		}
		if err := req.decodeBody(r.Header.Get("Content-Type"), body); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("pivot: method %q: %w", r.Method, ErrUnsupportedMethod)
	}

	req.Format = detectFormat(req.Raw)
	req.fill()
	return req, nil
}

// readBody reads the whole body; a nil body is empty.
func readBody(body io.Reader) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	return io.ReadAll(body)
}

// decodeBody decodes a POST body according to its Content-Type.
func (r *Request) decodeBody(contentType string, body []byte) error {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = "" // missing or malformed: decide from the body
	}
	switch {
	case mediaType == ContentTypeForm:
		r.BodyFormat = BodyForm
		r.Raw, r.Values = DecodeForm(string(body))
		return nil
	case mediaType == ContentTypeJSON || strings.HasSuffix(mediaType, "+json"):
		r.BodyFormat = BodyJSON
		if len(bytes.TrimSpace(body)) == 0 {
			return nil // lenient: an empty body has no parameters
		}
		r.Raw, err = DecodeJSON(body)
		return err
	}
	// Unknown content type (Kazoo always sends one of the two above): try
	// JSON when the body looks like an object, else form.
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		if p, err := DecodeJSON(body); err == nil {
			r.BodyFormat, r.Raw = BodyJSON, p
			return nil
		}
	}
	r.BodyFormat = BodyForm
	r.Raw, r.Values = DecodeForm(string(body))
	return nil
}

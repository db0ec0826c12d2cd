package wire

import (
	"errors"
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

// BodyFormat says where a request's parameters travel: a Pivot request's,
// or a webhook delivery's fields.
type BodyFormat uint8

// The parameter carriers. The zero value means "not set".
const (
	BodyQuery BodyFormat = iota + 1 // GET query string, form-encoded
	BodyForm                        // body (POST; PUT for webhooks), application/x-www-form-urlencoded
	BodyJSON                        // body (POST; PUT for webhooks), application/json
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

	// form is the query string (GET) or form body (POST) the parameters
	// were read from, "" for a JSON body; urlQuery is a POST's URL query.
	// Values and URLQuery decode them on demand, so that a request whose
	// handler reads neither builds no url.Values.
	form, urlQuery string
}

// Values returns the query or form pairs as sent, keys with their brackets
// ("Digits[default]", "User-ID[]"), decoded by DecodeForm's rules; nil for
// a JSON body or a Request whose BodyFormat is unset. Each call decodes
// them anew into a map of the caller's own.
func (r *Request) Values() url.Values {
	if r.BodyFormat != BodyQuery && r.BodyFormat != BodyForm {
		return nil
	}
	return decodeValues(r.form)
}

// URLQuery returns, for POST, the request URL's own query parameters (a
// voice_url's query string), decoded by DecodeForm's rules; nil when the
// URL has no query. For GET they are part of Raw and Values, since Kazoo
// appends its parameters to that same query, and URLQuery returns nil.
// Each call decodes them anew into a map of the caller's own.
func (r *Request) URLQuery() url.Values {
	if r.urlQuery == "" {
		return nil
	}
	return decodeValues(r.urlQuery)
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

// URLParam returns the first value of a parameter of the voice_url's own
// query string ("https://ivr.example.com/start?lang=fr" gives "fr" for
// "lang"), whatever the method: for a POST from URLQuery, for a GET from
// the query Kazoo appends its own parameters to, where the voice_url's
// come first. It returns "" when there is no such parameter.
func (r *Request) URLParam(name string) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return FormValue(r.form, name)
	}
	return FormValue(r.urlQuery, name)
}

// Digits holds the Digits parameter: either a plain string (the TwiML
// receiver's digit_pressed) or DTMF collections by name (from collect_dtmf,
// sent as Digits[name]=1234 or {"name":"1234"}; the unnamed collection is
// "default"). The zero Digits means no digits.
type Digits struct {
	plain string
	// collections are sorted by name, each name once; nil when there are
	// none. A request carries one or a few, which a sorted list holds in
	// one small allocation where a map takes two of some 300 bytes.
	collections []collection
}

// collection is one named DTMF collection.
type collection struct{ name, digits string }

// byName orders collections by name, as Digits keeps them.
func byName(a, b collection) int { return strings.Compare(a.name, b.name) }

// PlainDigits returns Digits holding the plain string s.
func PlainDigits(s string) Digits { return Digits{plain: s} }

// DigitCollections returns Digits holding a copy of the named collections;
// an empty map gives the zero Digits.
func DigitCollections(c map[string]string) Digits {
	if len(c) == 0 {
		return Digits{}
	}
	list := make([]collection, 0, len(c))
	for name, digits := range c {
		list = append(list, collection{name, digits})
	}
	slices.SortFunc(list, byName)
	return Digits{collections: list}
}

// String returns the plain digits, or the "default" collection.
func (d Digits) String() string {
	if d.collections != nil {
		s, _ := d.Collection("default")
		return s
	}
	return d.plain
}

// Collection returns the named collection and whether it exists. Plain
// digits have no collections.
func (d Digits) Collection(name string) (string, bool) {
	i, ok := slices.BinarySearchFunc(d.collections, name, func(c collection, name string) int {
		return strings.Compare(c.name, name)
	})
	if !ok {
		return "", false
	}
	return d.collections[i].digits, true
}

// Names returns the collection names, sorted.
func (d Digits) Names() []string {
	if d.collections == nil {
		return nil
	}
	names := make([]string, len(d.collections))
	for i, c := range d.collections {
		names[i] = c.name
	}
	return names
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
		p := make(Params, len(d.collections))
		for i, c := range d.collections {
			p[i] = Param{Key: c.name, Value: String(c.digits)}
		}
		return Object(p)
	case d.plain != "":
		return String(d.plain)
	}
	return Value{}
}

// digitsFrom reads a received Digits value: an object is a set of
// collections (as memberTexts reads it: nulls left out, the last of a
// repeated name kept), anything else plain text.
func digitsFrom(v Value) Digits {
	if v.kind != KindObject {
		return Digits{plain: v.Text()}
	}
	var list []collection
	for _, kv := range v.Members() {
		if kv.Value.kind == KindNull {
			continue
		}
		if list == nil {
			list = make([]collection, 0, len(v.Members()))
		}
		list = append(list, collection{kv.Key, kv.Value.Text()})
	}
	// A stable sort keeps repeated names in arrival order; the last wins.
	slices.SortStableFunc(list, byName)
	kept := list[:0]
	for i, c := range list {
		if i+1 < len(list) && list[i+1].name == c.name {
			continue // a later value of this name follows
		}
		kept = append(kept, c)
	}
	return Digits{collections: kept}
}

package wire

import (
	"maps"
	"slices"
)

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
			items = v.Items()
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

// fieldsFor returns the base fields and request variables of a naming.
// FormatUnknown uses the twiml names, Kazoo's own fallback when a pivot
// callflow has no req_format.
func fieldsFor(f Format) (base, vars []field) {
	if f == FormatKazoo {
		return kazooFields, kazooVars
	}
	return twimlFields, twimlVars
}

// nameInfo is what one parameter name means when received: the setter of
// its field in each naming (nil when the naming has no such parameter), and
// the naming it alone belongs to (FormatUnknown when both or neither send
// it).
type nameInfo struct {
	name         string
	kazoo, twiml func(*Request, Value)
	only         Format
}

// nameTable finds a nameInfo by name. The names, from the field tables
// above, are grouped by length and then compared: for the 40-odd names
// Kazoo sends that is quicker than hashing, and a request looks up every
// parameter it carries.
type nameTable [][]nameInfo

// receivedNames is the nameTable of every name either naming sends.
var receivedNames = func() nameTable {
	var infos []nameInfo
	info := func(name string) *nameInfo {
		for i := range infos {
			if infos[i].name == name {
				return &infos[i]
			}
		}
		infos = append(infos, nameInfo{name: name})
		return &infos[len(infos)-1]
	}
	for _, list := range [][]field{kazooFields, kazooVars} {
		for _, f := range list {
			info(f.name).kazoo = f.set
		}
	}
	for _, list := range [][]field{twimlFields, twimlVars} {
		for _, f := range list {
			info(f.name).twiml = f.set
		}
	}
	for _, n := range kazooOnly {
		info(n).only = FormatKazoo
	}
	for _, n := range twimlOnly {
		info(n).only = FormatTwiML
	}
	var t nameTable
	for _, in := range infos {
		for len(t) <= len(in.name) {
			t = append(t, nil)
		}
		t[len(in.name)] = append(t[len(in.name)], in)
	}
	return t
}()

// lookup returns the nameInfo of name, or nil when no naming sends it.
func (t nameTable) lookup(name string) *nameInfo {
	if len(name) >= len(t) {
		return nil
	}
	group := t[len(name)]
	for i := range group {
		if group[i].name == name {
			return &group[i]
		}
	}
	return nil
}

// detectFormat picks the naming whose distinctive names are most present in
// p; a tie between two non-zero counts goes to kazoo. The naming is read from
// the keys rather than assumed because which one a pivot node without
// req_format produces is unverified: the schema default is kazoo, but
// pivot_call falls back to twiml when no Request-Format reaches it.
func detectFormat(p Params) Format {
	kazoo, twiml := 0, 0
	for _, kv := range p {
		if in := receivedNames.lookup(kv.Key); in != nil {
			switch in.only {
			case FormatKazoo:
				kazoo++
			case FormatTwiML:
				twiml++
			}
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

// fill sets the typed fields from Raw, reading the names of r.Format
// (FormatUnknown reads the twiml names, as fieldsFor does).
func (r *Request) fill() {
	for _, kv := range r.Raw {
		in := receivedNames.lookup(kv.Key)
		if in == nil {
			continue
		}
		set := in.twiml
		if r.Format == FormatKazoo {
			set = in.kazoo
		}
		if set != nil {
			set(r, kv.Value)
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
	members := v.Members()
	for _, kv := range members {
		if kv.Value.kind == KindNull {
			continue
		}
		if m == nil {
			m = make(map[string]string, len(members))
		}
		m[kv.Key] = kv.Value.Text()
	}
	return m
}

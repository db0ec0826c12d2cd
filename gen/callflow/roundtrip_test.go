package callflow_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// testdataCase says what each file of testdata/ is and what Kazoo's schemas
// (and so Validate) must say about it.
type testdataCase struct {
	// doc: the file is a stored callflow document, not a bare node.
	doc bool
	// valid is Kazoo's verdict.
	valid bool
	// parseFails: the file does not fit the typed tree, so Parse refuses
	// it with a located error; that refusal is our "invalid" verdict.
	parseFails bool
	// pointers must all be reported, by Validate (or Parse) and by
	// Kazoo's schemas alike.
	pointers []string
}

var testdataCases = map[string]testdataCase{
	"main_menu.json":      {valid: true},
	"temporal_route.json": {valid: true},
	"nested_pivot.json":   {valid: true},
	"check_cid.json":      {valid: true},
	"document.json":       {doc: true, valid: true},
	"unknown_fields.json": {valid: true},
	// "say" has no callflows.say schema: Kazoo refuses the node, the
	// tree still round-trips.
	"unknown_module.json": {pointers: []string{"/children/_/module"}},

	// "/children/0" (hangup) has no data: Kazoo fills in {}, which
	// hangup accepts; draft-04 would report it.
	"invalid_missing_required.json": {pointers: []string{
		"/children/1/data/text",
		"/children/2/data/endpoints/0/endpoint_type",
		"/children/_/data/voice_url",
	}},
	"invalid_out_of_enum.json": {pointers: []string{
		"/data/method",
		"/data/req_format",
		"/children/_/data/terminators/1",
		"/children/_/children/_/data/endpoints/0/endpoint_type",
		"/children/_/children/_/data/strategy",
	}},
	"invalid_too_long.json": {pointers: []string{
		"/children/8c7b6a5948372615f4e3d2c1b0a99887/data/text",
		"/children/8c7b6a5948372615f4e3d2c1b0a99887/children/_/data/id",
		"/children/_/module",
	}},
	"invalid_wrong_type.json":          {parseFails: true, pointers: []string{"/children/1/data/timeout"}},
	"invalid_children_not_object.json": {parseFails: true, pointers: []string{"/children"}},
	"invalid_document.json": {doc: true, pointers: []string{
		"/numbers",
		"/flow/data/req_timeout_ms",
		"/flow/children/_/data/duration",
	}},
}

func readTestdata(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	for name := range out {
		if _, ok := testdataCases[name]; !ok {
			t.Errorf("testdata/%s has no entry in testdataCases", name)
		}
	}
	for name := range testdataCases {
		if _, ok := out[name]; !ok {
			t.Errorf("testdataCases lists %s, which is not in testdata/", name)
		}
	}
	return out
}

// TestRoundTrip: Parse then json.Marshal gives the same JSON value, unknown
// modules, unknown data fields and unknown node keys included; a second
// round trip gives the same bytes.
func TestRoundTrip(t *testing.T) {
	files := readTestdata(t)
	n := 0
	for _, name := range sortedNames(files) {
		c := testdataCases[name]
		if c.parseFails {
			continue
		}
		t.Run(name, func(t *testing.T) {
			in := files[name]
			tree, err := callflow.Parse(in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			switch tree.(type) {
			case *callflow.Document:
				if !c.doc {
					t.Errorf("Parse returned a *Document for a bare node")
				}
			case *callflow.Node:
				if c.doc {
					t.Errorf("Parse returned a *Node for a callflow document")
				}
			default:
				t.Errorf("Parse returned %T", tree)
			}
			out, err := json.Marshal(tree)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			want, got := decodeAny(t, in), decodeAny(t, out)
			if !reflect.DeepEqual(want, got) {
				t.Errorf("round trip changed the value:\n in: %s\nout: %s\n%s", compact(t, in), out, diffValues(want, got, ""))
			}
			tree2, err := callflow.Parse(out)
			if err != nil {
				t.Fatalf("Parse of own output: %v", err)
			}
			out2, err := json.Marshal(tree2)
			if err != nil {
				t.Fatalf("second Marshal: %v", err)
			}
			if string(out) != string(out2) {
				t.Errorf("second round trip differs:\n%s\n%s", out, out2)
			}
			if !t.Failed() {
				n++
			}
		})
	}
	t.Logf("%d files round-trip", n)
}

// TestUnknownsSurvive looks inside the parsed trees: what kzgen does not
// know is kept where it was, typed data stays typed.
func TestUnknownsSurvive(t *testing.T) {
	files := readTestdata(t)

	tree, err := callflow.Parse(files["unknown_module.json"])
	if err != nil {
		t.Fatal(err)
	}
	root := tree.Root()
	tts, ok := root.Data.(*callflow.TTSData)
	if !ok {
		t.Fatalf("root data is %T, want *TTSData", root.Data)
	}
	if tts.GetText() != "Your balance is" || tts.Voice == nil || *tts.Voice != "male" {
		t.Errorf("typed fields lost: %+v", tts)
	}
	if _, ok := tts.Extra["x_vendor_hint"]; !ok {
		t.Errorf("unknown data field x_vendor_hint lost; Extra = %v", tts.Extra)
	}
	for _, k := range []string{"x_editor", "id"} {
		if _, ok := root.Extra[k]; !ok {
			t.Errorf("unknown node key %q lost; Extra = %v", k, root.Extra)
		}
	}
	say := root.Next("_")
	if say == nil || say.Module != "say" {
		t.Fatalf("child _ = %+v, want the say node", say)
	}
	rd, ok := say.Data.(*callflow.RawData)
	if !ok || rd.ModuleName() != "say" {
		t.Fatalf("say data is %T, want *RawData for module say", say.Data)
	}
	if _, ok := say.Extra["comment"]; !ok {
		t.Errorf("node key comment lost under an unknown module")
	}
	rg, ok := say.Next("_").Data.(*callflow.RingGroupData)
	if !ok {
		t.Fatalf("ring_group below an unknown module is %T, want *RingGroupData", say.Next("_").Data)
	}
	if _, ok := rg.Extra["x_tags"]; !ok {
		t.Errorf("x_tags lost: %v", rg.Extra)
	}
	if string(rg.Extra["x_nothing"]) != "null" {
		t.Errorf("x_nothing = %s, want null", rg.Extra["x_nothing"])
	}
	if len(rg.Endpoints) != 1 || rg.Endpoints[0].Extra["x_note"] == nil {
		t.Errorf("unknown field inside an array item lost: %+v", rg.Endpoints)
	}
	if err := callflow.NewNode(rd).Validate(); err == nil {
		t.Errorf("a node of module say validates; Kazoo has no schema for it")
	}

	tree, err = callflow.Parse(files["unknown_fields.json"])
	if err != nil {
		t.Fatal(err)
	}
	cid := tree.Root().Next("sip:486").Data.(*callflow.CheckCIDData)
	if cid.CallerID == nil || cid.CallerID.Extra["x_internal_hint"] == nil ||
		cid.CallerID.External == nil || cid.CallerID.External.Extra["x_label"] == nil {
		t.Errorf("unknown fields in nested objects lost: %+v", cid.CallerID)
	}
	if p := tree.Root().Next("_"); p.Extra["x_position"] == nil || p.Data.(*callflow.PivotData).Extra["x_retry"] == nil {
		t.Errorf("unknown keys on the pivot child lost: %+v", p)
	}

	tree, err = callflow.Parse(files["document.json"])
	if err != nil {
		t.Fatal(err)
	}
	doc := tree.(*callflow.Document)
	if doc.GetName() != "Main number" || len(doc.Numbers) != 3 || len(doc.Patterns) != 1 {
		t.Errorf("document fields: name %q numbers %v patterns %v", doc.GetName(), doc.Numbers, doc.Patterns)
	}
	var modules []string
	doc.Root().Walk(func(ptr string, n *callflow.Node) { modules = append(modules, ptr+"="+n.Module) })
	want := []string{
		"=answer",
		"/children/_=tts",
		"/children/_/children/_=menu",
		"/children/_/children/_/children/1=user",
		"/children/_/children/_/children/_=voicemail",
	}
	if !slices.Equal(modules, want) {
		t.Errorf("Walk: %v, want %v", modules, want)
	}
}

// TestValidateAgreesWithKazoo: on every file, Validate's verdict (or
// Parse's refusal) is Kazoo's, checked with santhosh on callflows.action and
// on callflows.<module> for each node's data, at every depth.
func TestValidateAgreesWithKazoo(t *testing.T) {
	set := kazooSchemas(t)
	files := readTestdata(t)
	agree := 0
	for _, name := range sortedNames(files) {
		c := testdataCases[name]
		t.Run(name, func(t *testing.T) {
			in := files[name]
			v := decodeAny(t, in)
			var kz []string
			if c.doc {
				kz = kazooDocumentErrors(t, set, v)
			} else {
				kz = kazooNodeErrors(t, set, v, "")
			}
			if (kz == nil) != c.valid {
				t.Errorf("Kazoo's schemas: errors at %q, want valid=%v", kz, c.valid)
			}

			var ours []string
			tree, err := callflow.Parse(in)
			switch {
			case c.parseFails && err != nil:
				// Structural problems stop Parse; data of the wrong
				// shape is kept and reported by Validate instead.
				var de *kzrt.DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("Parse error %T is not a *kzrt.DecodeError: %v", err, err)
				}
				ours = []string{de.Pointer}
			case err != nil:
				t.Fatalf("Parse: %v", err)
			default:
				ours = validatePointers(t, tree)
			}
			if (ours == nil) != c.valid {
				t.Errorf("Validate/Parse: errors at %q, want valid=%v", ours, c.valid)
			}
			for _, p := range c.pointers {
				if !slices.Contains(kz, p) {
					t.Errorf("Kazoo's schemas do not report %s; they report %q", p, kz)
				}
				if !slices.Contains(ours, p) {
					t.Errorf("Validate does not report %s; it reports %q", p, ours)
				}
			}
			if !t.Failed() {
				agree++
			}
		})
	}
	t.Logf("%d/%d files: Validate agrees with Kazoo's schemas", agree, len(files))
}

// TestValidateAgreesOnMutations mutates the valid files one property at a
// time (drop a required key, leave an enum, overflow a length, change a
// type) and checks that Kazoo's schemas and Validate/Parse both refuse the
// result, at the mutated pointer.
func TestValidateAgreesOnMutations(t *testing.T) {
	set := kazooSchemas(t)
	files := readTestdata(t)
	type mutation struct {
		file, ptr string
		apply     func(parent map[string]any, key string)
		what      string
		// oursAt, when set, is where Parse reports the problem instead
		// of ptr (see the note on the case).
		oursAt string
	}
	del := func(p map[string]any, k string) { delete(p, k) }
	set2 := func(v any) func(map[string]any, string) {
		return func(p map[string]any, k string) { p[k] = v }
	}
	muts := []mutation{
		{"main_menu.json", "/children/0/data/endpoints/1/endpoint_type", del, "missing required", ""},
		{"main_menu.json", "/children/0/data/strategy", set2("round_robin"), "out of enum", ""},
		{"main_menu.json", "/children/1/data/timeout", set2("twenty"), "wrong type", ""},
		{"main_menu.json", "/children/2/data/id", set2(vmboxID + "0"), "too long", ""},
		// A value that fits no alternative of an anyOf/oneOf union is
		// reported at the union, as Kazoo does (draft-04's validator
		// names the member inside).
		{"main_menu.json", "/children/_/data/custom_sip_headers/in/X-Source", set2(json.Number("7")), "wrong type in anyOf", "/children/_/data/custom_sip_headers"},
		{"main_menu.json", "/children/_/module", set2(""), "too short", ""},
		{"temporal_route.json", "/children/_/data/text", del, "missing required", ""},
		{"temporal_route.json", "/children/_/data/text", set2(strings.Repeat("x", 1001)), "too long", ""},
		{"temporal_route.json", "/children/" + ruleDayID + "/children/_/data/strategy", set2("random"), "out of enum", ""},
		{"temporal_route.json", "/data/rules", set2("all"), "wrong type", ""},
		{"nested_pivot.json", "/children/_/children/_/children/_/data/voice_url", del, "missing required", ""},
		{"nested_pivot.json", "/children/_/children/_/children/_/data/voice_url", set2("ivr.example.com/next"), "pattern", ""},
		{"nested_pivot.json", "/data/req_timeout_ms", set2(json.Number("5001")), "over maximum", ""},
		{"nested_pivot.json", "/children/_/children/_/data/max_digits", set2(json.Number("0")), "under minimum", ""},
		{"nested_pivot.json", "/data/debug", set2("false"), "wrong type", ""},
		{"check_cid.json", "/children/nomatch/data/use_absolute_mode", set2("yes"), "wrong type", ""},
		{"check_cid.json", "/children/nomatch/children/+14155550100/data/endpoints/0/weight", set2(json.Number("150")), "over maximum", ""},
		// Without data, Kazoo fills in {} and checks it: pivot needs a
		// voice_url (draft-04 reports the missing data itself).
		{"nested_pivot.json", "/children/_/children/_/children/_/data", del, "missing data", "/children/_/children/_/children/_/data/voice_url"},
		{"document.json", "/numbers", set2([]any{"1000", "1000"}), "not unique", ""},
		{"document.json", "/flow/children/_/data/engine", set2("polly"), "out of enum", ""},
		{"document.json", "/flow/children/_/children/_/children/1/data/id", set2(json.Number("42")), "wrong type", ""},
		{"unknown_fields.json", "/children/_/data/req_body_format", set2("xml"), "out of enum", ""},
	}
	agree := 0
	for _, m := range muts {
		t.Run(m.file+m.ptr+" "+m.what, func(t *testing.T) {
			v := decodeAny(t, files[m.file])
			parent, key := resolveParent(t, v, m.ptr)
			m.apply(parent, key)
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			c := testdataCases[m.file]
			var kz []string
			if c.doc {
				kz = kazooDocumentErrors(t, set, v)
			} else {
				kz = kazooNodeErrors(t, set, v, "")
			}
			if kz == nil {
				t.Errorf("Kazoo's schemas accept the mutation")
			}
			var ours []string
			tree, err := callflow.Parse(b)
			if err != nil {
				var de *kzrt.DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("Parse error %T: %v", err, err)
				}
				ours = []string{de.Pointer}
			} else {
				ours = validatePointers(t, tree)
			}
			if ours == nil {
				t.Errorf("Validate accepts the mutation")
			}
			// Both locate it at the mutated value (a too-short module
			// name is also an unknown module, at the same pointer).
			if !slices.Contains(kz, m.ptr) {
				t.Errorf("Kazoo's schemas report %q, want %s", kz, m.ptr)
			}
			oursAt := m.ptr
			if m.oursAt != "" {
				oursAt = m.oursAt
			}
			if !slices.Contains(ours, oursAt) {
				t.Errorf("Validate/Parse report %q, want %s", ours, oursAt)
			}
			if !t.Failed() {
				agree++
			}
		})
	}
	t.Logf("%d/%d mutations: both refuse, at the expected pointer", agree, len(muts))
}

// resolveParent walks a JSON pointer in a decoded value and returns the
// object holding its last token.
func resolveParent(t *testing.T, v any, ptr string) (map[string]any, string) {
	t.Helper()
	tokens := strings.Split(ptr, "/")[1:]
	for i, tok := range tokens {
		tokens[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
	}
	cur := v
	for _, tok := range tokens[:len(tokens)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				t.Fatalf("pointer %s: bad index %q", ptr, tok)
			}
			cur = c[i]
		default:
			t.Fatalf("pointer %s: cannot descend into %T at %q", ptr, cur, tok)
		}
	}
	m, ok := cur.(map[string]any)
	if !ok {
		t.Fatalf("pointer %s: parent is %T, not an object", ptr, cur)
	}
	return m, tokens[len(tokens)-1]
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func compact(t *testing.T, b []byte) string {
	t.Helper()
	out, err := json.Marshal(decodeAny(t, b))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// diffValues names the first pointers where two decoded values differ.
func diffValues(a, b any, at string) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			return at + ": object vs non-object\n"
		}
		var out string
		for k, av := range a {
			bv, ok := bm[k]
			if !ok {
				out += at + "/" + k + ": missing after round trip\n"
				continue
			}
			out += diffValues(av, bv, at+"/"+k)
		}
		for k := range bm {
			if _, ok := a[k]; !ok {
				out += at + "/" + k + ": added by round trip\n"
			}
		}
		return out
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return at + ": arrays differ\n"
		}
		var out string
		for i := range a {
			out += diffValues(a[i], bs[i], at+"/"+strconv.Itoa(i))
		}
		return out
	}
	if !reflect.DeepEqual(a, b) {
		return at + ": value differs\n"
	}
	return ""
}

// TestDecodeErrorPointsIntoArrayItems: a value of the wrong type inside an
// array item is reported by Validate with the item's index, as Kazoo's
// schemas locate it. (Regression test: the index used to be lost,
// "/data/endpoints/id".)
func TestDecodeErrorPointsIntoArrayItems(t *testing.T) {
	set := kazooSchemas(t)
	// parseWant, when set, is where Validate reports a problem when it is
	// not where the reference validator does.
	cases := []struct{ in, want, parseWant string }{
		{`{"module":"ring_group","data":{"endpoints":[
			{"endpoint_type":"user","id":"` + userID + `"},
			{"endpoint_type":"device","id":5}]}}`, "/data/endpoints/1/id", ""},
		{`{"module":"lookupcidname","data":{"lists":["` + listID + `",5]}}`, "/data/lists/1", ""},
		// A union no alternative accepts is reported at the union, as
		// Kazoo does.
		{`{"module":"missed_call_alert","data":{"recipients":[{"type":"email","id":[1]}]}}`, "/data/recipients/0/id", ""},
	}
	for _, c := range cases {
		if kz := kazooNodeErrors(t, set, decodeAny(t, []byte(c.in)), ""); !slices.Contains(kz, c.want) {
			t.Errorf("Kazoo's schemas report %q, want %s", kz, c.want)
		}
		tree, err := callflow.Parse([]byte(c.in))
		if err != nil {
			t.Errorf("Parse: %v; data of the wrong shape should be kept and reported by Validate", err)
			continue
		}
		problems := kzrt.AsErrors(tree.Validate())
		want := c.want
		if c.parseWant != "" {
			want = c.parseWant
		}
		if len(problems) != 1 || problems[0].Pointer != want {
			t.Errorf("Validate reports %v, want one problem at %q", problems, want)
		}
	}
}

// TestEmptyChildKeyAgreesWithKazoo: callflows.action only constrains
// children whose key matches ".+", so Kazoo's schemas accept a child under
// the empty key, and so does Node.Validate.
func TestEmptyChildKeyAgreesWithKazoo(t *testing.T) {
	set := kazooSchemas(t)
	in := []byte(`{"module":"menu","data":{},"children":{"":{"module":"hangup","data":{}}}}`)
	kz := kazooNodeErrors(t, set, decodeAny(t, in), "")
	tree, err := callflow.Parse(in)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	ours := validatePointers(t, tree)
	if (kz == nil) == (ours == nil) {
		return
	}
	t.Errorf("Kazoo's schemas report %q, Validate %q", kz, ours)
}

package schemas_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math/big"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/internal/schemadiff"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

// embeddedNames lists the files of the embedded set.
func embeddedNames(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(schemas.FS, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("embedded schema set is empty")
	}
	return names
}

func readBoth(t *testing.T, kazoo fs.FS, name string) (ours, theirs any) {
	t.Helper()
	ours, err := load.ReadFile(schemas.FS, name)
	if err != nil {
		t.Fatalf("ours: %v", err)
	}
	theirs, err = load.ReadFile(kazoo, name)
	if err != nil {
		t.Fatalf("Kazoo's: %v", err)
	}
	return ours, theirs
}

// closureFiles returns the file names of the $ref closure that match
// selects in fsys, with the ids the globs matched themselves.
func closureFiles(t *testing.T, fsys fs.FS, match string) (files map[string]bool, matched []string) {
	t.Helper()
	set, err := load.Read(fsys, load.Options{Match: match})
	if err != nil {
		t.Fatalf("closure of %q: %v", match, err)
	}
	files = make(map[string]bool, len(set.IDs))
	for _, id := range set.IDs {
		files[id+".json"] = true
	}
	return files, set.Matched
}

// TestEmbeddedIsClosureUnion checks that the embedded files are exactly the
// union of the callflow closure and the document closure, both computed
// from Kazoo's own schema directory, and that EmbeddedMatch selects that
// same union.
func TestEmbeddedIsClosureUnion(t *testing.T) {
	kazoo := os.DirFS(kazootest.SchemaDir(t))
	callflow, _ := closureFiles(t, kazoo, schemas.CallflowMatch)
	document, _ := closureFiles(t, kazoo, schemas.DocumentMatch)
	want := maps.Clone(callflow)
	maps.Copy(want, document)

	got := make(map[string]bool)
	for _, name := range embeddedNames(t) {
		got[name] = true
		if !want[name] {
			t.Errorf("embedded %s is in neither Kazoo's callflow closure nor its document closure", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if !got[name] {
			t.Errorf("Kazoo's closures need %s, missing from the embedded set", name)
		}
	}
	union, _ := closureFiles(t, kazoo, schemas.EmbeddedMatch)
	if !maps.Equal(union, want) {
		t.Errorf("EmbeddedMatch selects %d files, the union of the two closures has %d", len(union), len(want))
	}
	t.Logf("%d embedded files: callflow closure %d, document closure %d", len(got), len(callflow), len(document))
}

// TestDocumentMatch checks that each glob of DocumentMatch names exactly one
// existing Crossbar document schema, so a typo cannot silently drop one.
func TestDocumentMatch(t *testing.T) {
	for _, glob := range strings.Split(schemas.DocumentMatch, ",") {
		_, matched := closureFiles(t, schemas.FS, glob)
		if len(matched) != 1 || matched[0] != glob {
			t.Errorf("DocumentMatch glob %q selects %v, want exactly the schema %q", glob, matched, glob)
		}
	}
}

// TestEmbeddedIsClosed checks, without Kazoo's directory, that the embedded
// set is closed under $ref and holds nothing EmbeddedMatch does not reach.
func TestEmbeddedIsClosed(t *testing.T) {
	reached, _ := closureFiles(t, schemas.FS, schemas.EmbeddedMatch)
	for _, name := range embeddedNames(t) {
		if !reached[name] {
			t.Errorf("embedded %s is not reached from EmbeddedMatch", name)
		}
	}
}

// TestFactsMatchKazoo checks that, descriptions aside, every embedded file
// equals Kazoo's file of the same name.
func TestFactsMatchKazoo(t *testing.T) {
	kazoo := os.DirFS(kazootest.SchemaDir(t))
	for _, name := range embeddedNames(t) {
		t.Run(name, func(t *testing.T) {
			ours, theirs := readBoth(t, kazoo, name)
			if ptr, ok := firstDiff("", schemadiff.StripDescriptions(ours), schemadiff.StripDescriptions(theirs)); !ok {
				if ptr == "" {
					ptr = "(document)"
				}
				t.Errorf("facts differ from Kazoo's at %s", ptr)
			}
		})
	}
}

// TestDescriptionsRewritten checks that every Kazoo description has a
// non-empty counterpart of our own at the same pointer, and no extra ones.
func TestDescriptionsRewritten(t *testing.T) {
	kazoo := os.DirFS(kazootest.SchemaDir(t))
	total := 0
	for _, name := range embeddedNames(t) {
		t.Run(name, func(t *testing.T) {
			ours, theirs := readBoth(t, kazoo, name)
			od := schemadiff.Descriptions(ours)
			td := schemadiff.Descriptions(theirs)
			for _, ptr := range sortedKeys(td) {
				text, ok := od[ptr]
				switch {
				case !ok:
					t.Errorf("%s: Kazoo has a description, ours is missing", ptr)
				case strings.TrimSpace(text) == "":
					t.Errorf("%s: our description is empty", ptr)
				case normalize(text) == normalize(td[ptr]):
					t.Errorf("%s: our description repeats Kazoo's", ptr)
				}
			}
			for _, ptr := range sortedKeys(od) {
				if _, ok := td[ptr]; !ok {
					t.Errorf("%s: we have a description where Kazoo has none", ptr)
				}
			}
			total += len(od)
		})
	}
	t.Logf("%d descriptions checked", total)
}

var spaces = regexp.MustCompile(`\s+`)

func normalize(s string) string {
	return strings.ToLower(strings.TrimSpace(spaces.ReplaceAllString(s, " ")))
}

// TestLayout checks that every embedded file is laid out as Kazoo lays out
// its files: Python's json.dumps(obj, indent=4, sort_keys=True) plus "\n".
func TestLayout(t *testing.T) {
	for _, name := range embeddedNames(t) {
		data, err := fs.ReadFile(schemas.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		checkLayout(t, name, data)
	}
}

// TestCanonicalMatchesKazoo guards the canonical encoder itself: every file
// of Kazoo's set is in that layout, so encoding must reproduce each byte.
func TestCanonicalMatchesKazoo(t *testing.T) {
	kazoo := os.DirFS(kazootest.SchemaDir(t))
	names, err := fs.Glob(kazoo, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(kazoo, name)
		if err != nil {
			t.Fatal(err)
		}
		checkLayout(t, name, data)
	}
}

func checkLayout(t *testing.T, name string, data []byte) {
	t.Helper()
	doc, err := load.Decode(data)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	want := canonical(doc)
	if bytes.Equal(data, want) {
		return
	}
	got, exp := strings.Split(string(data), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(got) || i < len(exp); i++ {
		var g, e string
		if i < len(got) {
			g = got[i]
		}
		if i < len(exp) {
			e = exp[i]
		}
		if g != e {
			t.Errorf("%s:%d: layout differs from json.dumps(indent=4, sort_keys=True):\n got: %q\nwant: %q", name, i+1, g, e)
			return
		}
	}
	t.Errorf("%s: layout differs from json.dumps(indent=4, sort_keys=True)", name)
}

func TestCanonicalEncoder(t *testing.T) {
	in := `{"b":[1,-0.0,1.50,0.00001,1e-4,1E16,1234567890123456.0,2.5e-300,1e5,-0,[],{}],` +
		`"a":"<a href=\"x\">&amp;</a> é€😀 \u007f\t\n\\ /","c":{"z":null,"y":true,"x":false},` +
		`"é":1,"big":123456789012345678901234567890}`
	// What Python's json.dumps(json.loads(in), indent=4, sort_keys=True) prints.
	want := `{
    "a": "<a href=\"x\">&amp;</a> \u00e9\u20ac\ud83d\ude00 \u007f\t\n\\ /",
    "b": [
        1,
        -0.0,
        1.5,
        1e-05,
        0.0001,
        1e+16,
        1234567890123456.0,
        2.5e-300,
        100000.0,
        0,
        [],
        {}
    ],
    "big": 123456789012345678901234567890,
    "c": {
        "x": false,
        "y": true,
        "z": null
    },
    "\u00e9": 1
}
`
	doc, err := load.Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(canonical(doc)); got != want {
		t.Errorf("canonical:\n%s\nwant:\n%s", got, want)
	}
}

// canonical encodes doc exactly as Python's json.dumps(doc, indent=4,
// sort_keys=True) followed by a newline. Unlike encoding/json it leaves
// <, > and & alone, escapes every non-ASCII character as \uXXXX (surrogate
// pairs beyond the BMP), and prints numbers the way Python does: integers
// verbatim, floats in repr form (1.0, 1e-05, 1e+16).
func canonical(doc any) []byte {
	var b bytes.Buffer
	writeCanonical(&b, doc, 0)
	b.WriteByte('\n')
	return b.Bytes()
}

func writeCanonical(b *bytes.Buffer, v any, depth int) {
	indent := func(d int) {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat("    ", d))
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case json.Number:
		b.WriteString(pyNumber(string(t)))
	case string:
		writePyString(b, t)
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			indent(depth + 1)
			writeCanonical(b, x, depth+1)
		}
		indent(depth)
		b.WriteByte(']')
	case map[string]any:
		if len(t) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range sortedKeys(t) {
			if i > 0 {
				b.WriteByte(',')
			}
			indent(depth + 1)
			writePyString(b, k)
			b.WriteString(": ")
			writeCanonical(b, t[k], depth+1)
		}
		indent(depth)
		b.WriteByte('}')
	default:
		panic(fmt.Sprintf("canonical: unexpected %T", v))
	}
}

// pyNumber prints a JSON number literal as Python re-prints it after
// json.loads: integers as Python ints, everything else as float repr.
func pyNumber(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		n, ok := new(big.Int).SetString(lit, 10)
		if !ok {
			panic("canonical: bad integer " + lit)
		}
		return n.String()
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		panic("canonical: bad float " + lit)
	}
	sign := ""
	if f < 0 || (f == 0 && strings.HasPrefix(lit, "-")) {
		sign, f = "-", -f
	}
	if f == 0 {
		return sign + "0.0"
	}
	// Shortest round-tripping digits and exponent: d.ddd e X.
	mant, exp, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
	digits := strings.Replace(mant, ".", "", 1)
	e, _ := strconv.Atoi(exp)
	decpt := e + 1 // value = 0.digits × 10^decpt
	switch {
	case decpt <= -4 || decpt > 16:
		s := digits[:1]
		if len(digits) > 1 {
			s += "." + digits[1:]
		}
		return sign + s + fmt.Sprintf("e%+03d", e)
	case decpt <= 0:
		return sign + "0." + strings.Repeat("0", -decpt) + digits
	case decpt >= len(digits):
		return sign + digits + strings.Repeat("0", decpt-len(digits)) + ".0"
	default:
		return sign + digits[:decpt] + "." + digits[decpt:]
	}
}

// writePyString writes s as Python's json module does with ensure_ascii.
func writePyString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r >= 0x20 && r < 0x7f:
				b.WriteRune(r)
			case r > 0xffff:
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			default:
				fmt.Fprintf(b, `\u%04x`, r)
			}
		}
	}
	b.WriteByte('"')
}

// firstDiff compares two decoded documents strictly (numbers by literal)
// and returns the JSON pointer of the first difference in document order,
// with ok false; ok is true when they are equal.
func firstDiff(ptr string, a, b any) (string, bool) {
	switch av := a.(type) {
	case map[string]any:
		bv, isMap := b.(map[string]any)
		if !isMap {
			return ptr, false
		}
		keys := make(map[string]any, len(av)+len(bv))
		for k := range av {
			keys[k] = nil
		}
		for k := range bv {
			keys[k] = nil
		}
		for _, k := range sortedKeys(keys) {
			x, inA := av[k]
			y, inB := bv[k]
			p := ptr + "/" + kzrt.EscapeToken(k)
			if inA != inB {
				return p, false
			}
			if at, ok := firstDiff(p, x, y); !ok {
				return at, false
			}
		}
		return "", true
	case []any:
		bv, isList := b.([]any)
		if !isList {
			return ptr, false
		}
		for i := 0; i < len(av) || i < len(bv); i++ {
			p := fmt.Sprintf("%s/%d", ptr, i)
			if i >= len(av) || i >= len(bv) {
				return p, false
			}
			if at, ok := firstDiff(p, av[i], bv[i]); !ok {
				return at, false
			}
		}
		return "", true
	case json.Number, string, bool, nil:
		if a != b {
			return ptr, false
		}
		return "", true
	}
	return ptr, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

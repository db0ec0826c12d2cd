package pivot

import (
	"encoding/base64"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestStateRoundTrip: a state comes back from its encoding as it was,
// whatever its keys and values, its size (past the scratch buffers) or its
// number of keys, and the encoding is URL-safe without ".".
func TestStateRoundTrip(t *testing.T) {
	many := State{}
	for i := range 20 {
		many["k"+strconv.Itoa(i)] = strconv.Itoa(i)
	}
	for _, s := range []State{
		{},
		{"lang": "en"},
		{"a&b": "c=d", "sp ace": "+%;", "é": "\x00\xff", "": "empty key", "empty": ""},
		{"big": strings.Repeat("x&", 1000)},
		many,
	} {
		var b strings.Builder
		writeState(&b, appendStateForm(nil, s))
		enc := b.String()
		if strings.ContainsAny(enc, ".&=+/% ") {
			t.Errorf("encoding %q is not URL-safe", enc)
		}
		got, err := decodeState(enc)
		if err != nil || !maps.Equal(got, s) {
			t.Errorf("state %v came back as %v, %v", s, got, err)
		}
	}
}

// TestDecodeStateAsParseQuery: decodeState reads any form text as
// url.ParseQuery does, first values kept.
func TestDecodeStateAsParseQuery(t *testing.T) {
	for _, form := range []string{"a=1&a=2&b", "&&a=1&", "a=1;b=2", "a=%zz", "%41=%42+c", "=x&y="} {
		got, err := decodeState(base64.RawURLEncoding.EncodeToString([]byte(form)))
		vals, wantErr := url.ParseQuery(form)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%q: error %v, url.ParseQuery's %v", form, err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		want := State{}
		for k, v := range vals {
			want[k] = v[0]
		}
		if !maps.Equal(got, want) {
			t.Errorf("%q: %v, want %v", form, got, want)
		}
	}
}

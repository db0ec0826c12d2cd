package load_test

import (
	"regexp"
	"testing"

	"github.com/kzgen/kzgen/generator/load"
)

// TestTranslatePatternKeepsPCREVerdicts runs translated patterns on strings
// where PCRE (as Kazoo's Erlang re runs it) and Go's RE2 disagree, with the
// verdict PCRE gives.
func TestTranslatePatternKeepsPCREVerdicts(t *testing.T) {
	cases := []struct {
		pattern, input string
		pcre           bool
	}{
		// "$" also matches before a final newline, and only there.
		{`^[a-z]{2}$`, "en", true},
		{`^[a-z]{2}$`, "en\n", true},
		{`^[a-z]{2}$`, "en\n\n", false},
		{`^[a-z]{2}$`, "e\nn", false},
		{`^[0-9]+$`, "2000\n", true},
		{`^[0-9]+$|^x`, "1\n", true},
		{`^(a|b$)`, "b\n", true},
		{`^a\Z`, "a\n", true},
		{`^a\z`, "a\n", false},
		// "$" inside a class or escaped is a dollar sign.
		{`^[$]$`, "$", true},
		{`^\$5$`, "$5\n", true},
		{`^[]$]+$`, "]$", true},
		{`^\Q$\E$`, "$", true},
		{`^\Q$\E$`, "$\n", true},
		{`^\Q$\E$`, "", false},
		// With (?m) "$" means the same in both.
		{`(?m)^a$`, "a\nb", true},
		// "\s" includes the vertical tab in PCRE.
		{`^[^\s]*$`, "a\vb", false},
		{`^[^\s]*$`, "ab\n", true},
		{`^\S+$`, "a\vb", false},
		{`^[\sx]+$`, "x\v", true},
		{`^[\S]+$`, "a\v", false},
		{`^[\S]+$`, "ab", true},
		// "\v" and "\h" are classes in PCRE.
		{`^a\vb$`, "a\rb", true},
		{`^a\vb$`, "a\vb", true},
		{`^a\vb$`, "aXb", false},
		{`^a\Vb$`, "a\rb", false},
		{`^a\hb$`, "a\u00a0b", true},
		{`^a\hb$`, "a\nb", false},
		{`^a[\H]b$`, "a b", false},
		{`^a[\H]b$`, "axb", true},
		// "." does not match a newline in either.
		{`^.+$`, "a\nb", false},
		{`.+`, "\n", false},
		{`.+`, "", false},
		{`.+`, "a\n", true},
		// POSIX classes inside brackets are kept.
		{`^[[:alnum:]_]+$`, "a_1\n", true},
	}
	for _, c := range cases {
		p, err := load.TranslatePattern(c.pattern)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		if p.Relaxed {
			t.Errorf("%q: relaxed, want an exact translation", c.pattern)
		}
		if got := regexp.MustCompile(p.Go).MatchString(c.input); got != c.pcre {
			t.Errorf("%q (as %q) on %q: %v, PCRE says %v", c.pattern, p.Go, c.input, got, c.pcre)
		}
	}
}

func TestTranslatePatternLookaroundAndErrors(t *testing.T) {
	p, err := load.TranslatePattern(`(?!id\b)^.+@.+$`)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Relaxed || p.Go != `^.+@.+(?:\n?\z)` {
		t.Errorf("got %+v, want relaxed ^.+@.+(?:\\n?\\z)", p)
	}
	if w := p.Warning("a.json", "/pattern"); w.File != "a.json" || w.Pointer != "/pattern" || w.Message == "" {
		t.Errorf("warning %+v", w)
	}
	// Patterns without anything to translate are kept as written.
	for _, same := range []string{`^https?://`, `.+`, `^\+?[0-9]+`, `\d{3}`} {
		if p, err := load.TranslatePattern(same); err != nil || p.Go != same {
			t.Errorf("%q: got %q, %v", same, p.Go, err)
		}
	}
	for _, bad := range []string{`(a)\1`, `(?>a)`, `a++`, `[`} {
		if _, err := load.TranslatePattern(bad); err == nil {
			t.Errorf("%q: no error; Go cannot run it", bad)
		}
	}
}

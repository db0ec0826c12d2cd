package load

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Warning is a problem that does not stop generation, located like Error.
type Warning struct {
	File    string
	Pointer string
	Message string
}

// String renders the value for messages.
func (w Warning) String() string { return fmt.Sprintf("%s#%s: %s", w.File, w.Pointer, w.Message) }

// lookaround matches a PCRE lookahead or lookbehind group without nested
// parentheses, such as "(?!id\b)". Go's RE2 has no lookaround.
var lookaround = regexp.MustCompile(`\(\?<?[!=][^()]*\)`)

// RelaxPattern returns an RE2-compatible version of a PCRE pattern for the
// draft-04 reference validator: lookaround groups, the only construct in
// Kazoo's schemas RE2 lacks, are dropped (they only narrow a match, so the
// result accepts a superset, the lenient choice). Everything else keeps
// Go's meaning; TranslatePattern is the one that follows PCRE's verdicts.
func RelaxPattern(p string) (string, bool, error) {
	if _, err := regexp.Compile(p); err == nil {
		return p, false, nil
	}
	relaxed := lookaround.ReplaceAllString(p, "")
	if _, err := regexp.Compile(relaxed); err != nil {
		return "", false, fmt.Errorf("pattern %q is not a regular expression Go can run: %w", p, err)
	}
	return relaxed, true, nil
}

// Pattern is a schema's regular expression made runnable by Go.
type Pattern struct {
	// Source is the pattern as the schema writes it (PCRE).
	Source string
	// Go is the RE2 pattern Go's regexp runs. It gives PCRE's verdict on
	// every string (unanchored search, as JSON Schema asks), except that a
	// pattern with lookaround is Relaxed.
	Go string
	// Relaxed is true when lookaround groups had to be dropped: Go then
	// accepts a little more than Kazoo.
	Relaxed bool
}

// TranslatePattern turns a PCRE pattern, as Kazoo's validator (Erlang's re,
// in unicode mode) runs it, into an RE2 pattern with the same verdicts:
//
//   - "$" (and "\Z") also matches just before a final newline in PCRE, so
//     "en\n" passes "^[a-z]{2}$"; it becomes "(?:\n?\z)". A "$" followed by
//     more pattern than ")" or "|" (which only "\n" could then match) is
//     translated the same way and may differ on such strings. With the
//     multi-line flag (?m) set, "$" already means the same in both and is
//     kept.
//   - "\s" in PCRE also matches the vertical tab, "\v" and "\h" are classes
//     of vertical and horizontal white space (in RE2 "\v" is the vertical
//     tab alone and "\h" does not exist); they become explicit classes.
//   - "." does not match a newline in either, and "\d", "\w", "\b" are
//     ASCII in both, so they are kept.
//   - Lookaround groups, which RE2 lacks, are dropped, as RelaxPattern
//     does (Relaxed).
//
// Text inside "\Q…\E" is literal in both and is copied unchanged. Anything
// else RE2 cannot run (backreferences, atomic groups, possessive
// quantifiers) is an error.
func TranslatePattern(p string) (Pattern, error) {
	out := Pattern{Source: p}
	src := p
	if lookaround.MatchString(src) {
		src = lookaround.ReplaceAllString(src, "")
		out.Relaxed = true
	}
	out.Go = translate(src)
	if _, err := regexp.Compile(out.Go); err != nil {
		return Pattern{}, fmt.Errorf("pattern %q is not a regular expression Go can run: %w", p, err)
	}
	return out, nil
}

// pcreClasses are PCRE's white-space escapes whose meaning RE2 lacks or
// differs on, as the members of a bracket expression: the class and its
// complement.
var pcreClasses = map[byte][2]string{
	's': {`\t\n\x0B\f\r `, `\x00-\x08\x0E-\x1F\x21-\x{10FFFF}`},
	'v': {`\n\x0B\f\r\x{85}\x{2028}\x{2029}`, `\x00-\x09\x0E-\x{84}\x{86}-\x{2027}\x{202A}-\x{10FFFF}`},
	'h': {`\t \x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}`,
		`\x00-\x08\x0A-\x1F\x21-\x{9F}\x{A1}-\x{167F}\x{1681}-\x{180D}\x{180F}-\x{1FFF}\x{200B}-\x{202E}\x{2030}-\x{205E}\x{2060}-\x{2FFF}\x{3001}-\x{10FFFF}`},
}

// multiLineFlag finds a flag group that turns on PCRE's and RE2's
// multi-line mode, "(?m)" or "(?im:…)".
var multiLineFlag = regexp.MustCompile(`\(\?[a-zA-Z]*m`)

// pcreEnd is what PCRE's "$" matches: the end, or just before a final
// newline.
const pcreEnd = `(?:\n?\z)`

// translate rewrites the constructs whose meaning differs between PCRE and
// RE2 (see TranslatePattern), leaving everything else as written.
func translate(p string) string {
	multiLine := multiLineFlag.MatchString(p)
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			next := p[i+1]
			i++
			lower := next | 0x20 // 'S' → 's'
			switch {
			case next == 'Q':
				end := strings.Index(p[i+1:], `\E`)
				if end < 0 {
					b.WriteString(p[i-1:])
					return b.String()
				}
				b.WriteString(p[i-1 : i+1+end+2])
				i += end + 2
			case next == 'Z' && !inClass:
				b.WriteString(pcreEnd)
			case lower == 's' || lower == 'v' || lower == 'h':
				ranges := pcreClasses[lower]
				negated := next != lower
				switch {
				case inClass && negated:
					b.WriteString(ranges[1])
				case inClass:
					b.WriteString(ranges[0])
				case negated:
					b.WriteString("[^" + ranges[0] + "]")
				default:
					b.WriteString("[" + ranges[0] + "]")
				}
			default:
				b.WriteByte('\\')
				b.WriteByte(next)
			}
		case inClass:
			if c == '[' && i+1 < len(p) && p[i+1] == ':' {
				// A POSIX class such as [:alpha:] inside a bracket expression.
				if end := strings.Index(p[i:], ":]"); end > 0 {
					b.WriteString(p[i : i+end+2])
					i += end + 1
					continue
				}
			}
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			// A "]" right after "[" or "[^" is a literal member.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteByte(']')
				i++
			}
		case c == '$' && !multiLine:
			b.WriteString(pcreEnd)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// RelaxedDocument copies a schema document with every pattern turned into
// the form Go's regexp runs (see RelaxPattern), as Compile hands it to the
// reference validator.
func RelaxedDocument(doc map[string]any) (map[string]any, error) {
	out, _, err := relaxPatterns("", doc)
	return out, err
}

// needsRelaxing reports whether any "pattern" value or "patternProperties"
// key of a schema document is a regular expression Go cannot compile.
func needsRelaxing(doc any) bool {
	switch v := doc.(type) {
	case map[string]any:
		for k, val := range v {
			switch k {
			case "enum", "default", "examples":
				continue
			case "pattern":
				if p, ok := val.(string); ok {
					if _, err := regexp.Compile(p); err != nil {
						return true
					}
				}
			case "patternProperties":
				if m, ok := val.(map[string]any); ok {
					for p := range m {
						if _, err := regexp.Compile(p); err != nil {
							return true
						}
					}
				}
			}
			if needsRelaxing(val) {
				return true
			}
		}
	case []any:
		for _, item := range v {
			if needsRelaxing(item) {
				return true
			}
		}
	}
	return false
}

// relaxPatterns copies a schema document, replacing every "pattern" value and
// "patternProperties" key that Go's regexp cannot compile by its relaxed form.
// It returns the copy and one warning per relaxed pattern.
func relaxPatterns(file string, doc map[string]any) (map[string]any, []Warning, error) {
	var warnings []Warning
	var walk func(v any, ptr string) (any, error)
	walk = func(v any, ptr string) (any, error) {
		switch v := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(v))
			for _, k := range slices.Sorted(maps.Keys(v)) {
				child := ptr + "/" + kzrt.EscapeToken(k)
				val := v[k]
				switch k {
				case "enum", "default", "examples":
					out[k] = val
					continue
				case "pattern":
					if s, ok := val.(string); ok {
						relaxed, changed, err := RelaxPattern(s)
						if err != nil {
							return nil, &Error{File: file, Pointer: child, Err: err}
						}
						if changed {
							warnings = append(warnings, relaxWarning(file, child, s, relaxed))
						}
						out[k] = relaxed
						continue
					}
				case "patternProperties":
					if m, ok := val.(map[string]any); ok {
						pp := make(map[string]any, len(m))
						for _, pk := range slices.Sorted(maps.Keys(m)) {
							pptr := child + "/" + kzrt.EscapeToken(pk)
							relaxed, changed, err := RelaxPattern(pk)
							if err != nil {
								return nil, &Error{File: file, Pointer: pptr, Err: err}
							}
							if changed {
								warnings = append(warnings, relaxWarning(file, pptr, pk, relaxed))
							}
							sub, err := walk(m[pk], pptr)
							if err != nil {
								return nil, err
							}
							pp[relaxed] = sub
						}
						out[k] = pp
						continue
					}
				}
				sub, err := walk(val, child)
				if err != nil {
					return nil, err
				}
				out[k] = sub
			}
			return out, nil
		case []any:
			out := make([]any, len(v))
			for i, item := range v {
				sub, err := walk(item, ptr+"/"+strconv.Itoa(i))
				if err != nil {
					return nil, err
				}
				out[i] = sub
			}
			return out, nil
		default:
			return v, nil
		}
	}
	out, err := walk(doc, "")
	if err != nil {
		return nil, nil, err
	}
	return out.(map[string]any), warnings, nil
}

func relaxWarning(file, ptr, from, to string) Warning {
	return Pattern{Source: from, Go: to, Relaxed: true}.Warning(file, ptr)
}

// Warning is the warning a Relaxed pattern deserves, located at file and
// ptr.
func (p Pattern) Warning(file, ptr string) Warning {
	return Warning{File: file, Pointer: ptr, Message: fmt.Sprintf(
		"pattern %q uses lookaround, which Go's RE2 lacks; enforced as %q (accepts more than Kazoo)", p.Source, p.Go)}
}

package load

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
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

// RelaxPattern returns an RE2-compatible version of a PCRE pattern. Kazoo
// validates with PCRE; the only constructs in its schemas that RE2 lacks are
// lookaround groups, which only narrow a match. Dropping them accepts a
// superset of what Kazoo accepts, which is the lenient choice.
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
			for _, k := range sortedKeys(v) {
				child := ptr + "/" + EscapePointer(k)
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
						for _, pk := range sortedKeys(m) {
							pptr := child + "/" + EscapePointer(pk)
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
	return Warning{File: file, Pointer: ptr, Message: fmt.Sprintf(
		"pattern %q uses lookaround, which Go's RE2 lacks; enforced as %q (accepts more than Kazoo)", from, to)}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

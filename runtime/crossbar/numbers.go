package crossbar

import "regexp"

// e164Converters are Kazoo's default E.164 converters (knm_converter_regex,
// §1.7 step 3), tried in order: the first that matches rewrites the
// number as its prefix and the first non-empty capture group (or the whole
// number when the expression has no group).
var e164Converters = []struct {
	match  *regexp.Regexp
	prefix string
}{
	{regexp.MustCompile(`^\+?1?([2-9][0-9]{2}[2-9][0-9]{6})$`), "+1"}, // NANP, 10 or 11 digits
	{regexp.MustCompile(`^011(\d{5,})$|^00(\d{5,})$`), "+"},           // international dialling prefixes
	{regexp.MustCompile(`^[2-9]\d{7,}$`), "+"},                        // 8 or more digits starting 2-9
}

// NormalizeNumber returns number as Crossbar saves it in a callflow's
// "numbers" with Kazoo's default converters: NANP numbers of 10 or 11
// digits become +1…, 011… and 00… become +…, other numbers of 8 or more
// digits starting with 2 to 9 get a "+", and anything else (extensions
// such as "1001", numbers already in E.164) stays as it is. A cluster with
// its own converters may differ; read the saved document back.
func NormalizeNumber(number string) string {
	for _, c := range e164Converters {
		m := c.match.FindStringSubmatch(number)
		if m == nil {
			continue
		}
		digits := m[0]
		for _, group := range m[1:] {
			if group != "" {
				digits = group
				break
			}
		}
		return c.prefix + digits
	}
	return number
}

package golang

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/kzgen/kzgen/generator/model"
)

// initialisms are words Go style writes in capitals (CallerIDNumber,
// VoiceURL). Keys are lower case.
var initialisms = map[string]string{
	"acl": "ACL", "acdc": "ACDC", "amqp": "AMQP", "api": "API", "ascii": "ASCII", "cdr": "CDR", "cid": "CID",
	"cnam": "CNAM", "cpu": "CPU", "crm": "CRM", "css": "CSS", "db": "DB", "did": "DID", "dnd": "DND", "dns": "DNS",
	"dtmf": "DTMF", "e164": "E164", "edr": "EDR", "eof": "EOF", "guid": "GUID", "html": "HTML",
	"http": "HTTP", "https": "HTTPS", "id": "ID", "ids": "IDs", "ip": "IP", "ivr": "IVR",
	"json": "JSON", "moh": "MOH", "ms": "MS", "mwi": "MWI", "pin": "PIN", "pins": "PINs", "qps": "QPS",
	"rtp": "RTP", "sip": "SIP", "sms": "SMS", "smtp": "SMTP", "sql": "SQL", "srtp": "SRTP",
	"ssh": "SSH", "t38": "T38", "tcp": "TCP", "tls": "TLS", "ttl": "TTL", "tts": "TTS",
	"udp": "UDP", "ui": "UI", "uri": "URI", "url": "URL", "urls": "URLs", "utc": "UTC",
	"uuid": "UUID", "vm": "VM", "xml": "XML", "xmpp": "XMPP", "zrtp": "ZRTP",
}

// compoundWords are the other words of the names Kazoo writes as one word
// ("cidlistmatch", "lookupcidname"). goName splits a lower-case word that
// is no initialism when it is made entirely of initialisms and these
// words, at least one an initialism: "cidlistmatch" → "CIDListMatch". A
// word that does not split that way is left whole ("camping" holds "pin"
// but is no compound), so the list only ever adds capitals.
var compoundWords = []string{"list", "lookup", "match", "name"}

// splitCompound returns the parts of a compound word (see compoundWords),
// or nil. When several splits exist, the one with the fewest parts wins,
// then the one whose first part is longest, so the result is
// deterministic.
func splitCompound(w string) []string {
	if w != strings.ToLower(w) || len(w) < 4 {
		return nil
	}
	isWord := func(s string) (word, initialism bool) {
		if _, ok := initialisms[s]; ok {
			return true, true
		}
		return slices.Contains(compoundWords, s), false
	}
	// best[i] is the best split of w[i:] (nil when there is none), and
	// hasInit[i] whether it holds an initialism.
	best := make([][]string, len(w)+1)
	hasInit := make([]bool, len(w)+1)
	best[len(w)] = []string{}
	for i := len(w) - 1; i >= 0; i-- {
		for j := len(w); j > i; j-- { // longest first part first
			word, initialism := isWord(w[i:j])
			if !word || best[j] == nil {
				continue
			}
			if cand := 1 + len(best[j]); best[i] == nil || cand < len(best[i]) {
				best[i] = append([]string{w[i:j]}, best[j]...)
				hasInit[i] = initialism || hasInit[j]
			}
		}
	}
	if len(best[0]) < 2 || !hasInit[0] {
		return nil
	}
	return best[0]
}

// symbolWords names punctuation that makes up a whole enum value.
var symbolWords = map[rune]string{
	'*': "Star", '#': "Hash", '+': "Plus", '-': "Minus", '@': "At", '.': "Dot",
	'/': "Slash", '_': "Underscore", '~': "Tilde", '!': "Bang", '?': "Question",
}

// goName turns a schema name ("caller_id_number", "voice-url",
// "callflows.tts") into an exported Go identifier ("CallerIDNumber",
// "VoiceURL", "CallflowsTTS"). Words already in capitals ("GET") keep them,
// so enum values differing only by case get distinct names. The result may
// start with a digit; callers that need a standalone identifier use
// fieldName.
func goName(s string) string {
	var b strings.Builder
	var words []string
	for _, w := range splitWords(s) {
		if parts := splitCompound(w); parts != nil {
			words = append(words, parts...)
		} else {
			words = append(words, w)
		}
	}
	for _, w := range words {
		if up, ok := initialisms[strings.ToLower(w)]; ok && (w == strings.ToLower(w) || w == up || isTitle(w)) {
			b.WriteString(up)
			continue
		}
		// An initialism followed by digits inside a word: "html2pdf" →
		// "HTML2pdf", as Go style writes it.
		if i := strings.IndexAny(w, "0123456789"); i > 0 && w == strings.ToLower(w) {
			if up, ok := initialisms[w[:i]]; ok {
				b.WriteString(up + w[i:])
				continue
			}
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	if b.Len() == 0 {
		return symbolName(s)
	}
	return b.String()
}

func isTitle(w string) bool {
	r := []rune(w)
	return unicode.IsUpper(r[0]) && strings.ToLower(string(r[1:])) == string(r[1:])
}

// splitWords breaks a name at punctuation and at lower→upper case changes.
func splitWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])):
			flush()
			cur = append(cur, r)
		case unicode.IsUpper(r) && i > 0 && i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsLower(rs[i+1]):
			// "HTTPServer" → "HTTP", "Server"
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// symbolName names a value made only of punctuation ("*" → "Star"), or
// "Empty" for "".
func symbolName(s string) string {
	if s == "" {
		return "Empty"
	}
	var b strings.Builder
	for _, r := range s {
		if w, ok := symbolWords[r]; ok {
			b.WriteString(w)
		} else {
			b.WriteString("U" + strconv.FormatInt(int64(r), 16))
		}
	}
	return b.String()
}

// identifier makes goName's result a valid standalone identifier: a name
// starting with a digit gets an "N" in front ("1" → "N1").
func identifier(s string) string {
	n := goName(s)
	if r := []rune(n); len(r) > 0 && unicode.IsDigit(r[0]) {
		return "N" + n
	}
	return n
}

// nameSet hands out unique names: a taken name gets "2", "3", … appended.
type nameSet map[string]bool

func (ns nameSet) claim(name string) string {
	if !ns[name] {
		ns[name] = true
		return name
	}
	for i := 2; ; i++ {
		candidate := name + strconv.Itoa(i)
		if !ns[candidate] {
			ns[candidate] = true
			return candidate
		}
	}
}

// claimNested names a declared type nested in a schema, whose natural name
// is name: that name when it is free; the Go type of an enum of the same
// schema with that name and the same values, which it then shares
// (collect_dtmf's "terminators" items are its "terminator" values);
// otherwise name+"Value" ("data" in after_bridge, whose module data type
// is AfterBridgeData already), and only then a number.
func (g *generator) claimNested(t *model.Type, name string) string {
	if !g.names[name] {
		return g.names.claim(name)
	}
	if twin := g.twinEnum(t, name); twin != nil {
		g.sameEnum[t] = twin
		return name
	}
	return g.names.claim(name + "Value")
}

// twinEnum returns the enum of t's schema named name with the same values
// as t, an enum; nil when there is none.
func (g *generator) twinEnum(t *model.Type, name string) *model.Type {
	if t.Kind != model.String || len(t.Enum) == 0 {
		return nil
	}
	for other, otherName := range g.typeName {
		if otherName == name && other.Schema == t.Schema && other.Kind == model.String && g.sameEnum[other] == nil &&
			slices.Equal(dedupe(enumStrings(other)), dedupe(enumStrings(t))) {
			return other
		}
	}
	return nil
}

// itemName is the name stem of the items of the list whose own stem is
// list: the list's name in the singular (RingGroupEndpoints →
// RingGroupEndpoint, ProfileAddresses → ProfileAddress), or list+"Item"
// when its last word is no plural, when the singular repeats the word
// before it (AudioMacroMacros: AudioMacroMacrosItem, not
// AudioMacroMacro), or when the singular names something else already
// (unless it is an identical enum, which the items then share).
func (g *generator) itemName(list string, items *model.Type) string {
	words := splitWords(list)
	if len(words) < 2 {
		return list + "Item"
	}
	last := words[len(words)-1]
	one, ok := singular(last)
	if !ok || strings.EqualFold(one, words[len(words)-2]) {
		return list + "Item"
	}
	name := strings.TrimSuffix(list, last) + one
	if g.names[name] && g.twinEnum(items, name) == nil {
		return list + "Item"
	}
	return name
}

// singular returns an English plural word in the singular: "endpoints" →
// "endpoint", "addresses" → "address", "entries" → "entry", "IDs" → "ID";
// false for a word that is no plural ("media", "status", "access").
func singular(w string) (string, bool) {
	lower := strings.ToLower(w)
	switch {
	case len(w) < 3 || !strings.HasSuffix(lower, "s") || strings.HasSuffix(lower, "ss") ||
		strings.HasSuffix(lower, "us") || strings.HasSuffix(lower, "is"):
		return "", false
	case strings.HasSuffix(lower, "ies"):
		return w[:len(w)-3] + "y", true
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "xes"),
		strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return w[:len(w)-2], true
	}
	return w[:len(w)-1], true
}

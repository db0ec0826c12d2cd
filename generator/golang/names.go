package golang

import (
	"strconv"
	"strings"
	"unicode"
)

// initialisms are words Go style writes in capitals (CallerIDNumber,
// VoiceURL). Keys are lower case.
var initialisms = map[string]string{
	"acl": "ACL", "acdc": "ACDC", "amqp": "AMQP", "api": "API", "ascii": "ASCII", "cdr": "CDR", "cid": "CID",
	"cnam": "CNAM", "cpu": "CPU", "css": "CSS", "db": "DB", "did": "DID", "dnd": "DND", "dns": "DNS",
	"dtmf": "DTMF", "e164": "E164", "edr": "EDR", "eof": "EOF", "guid": "GUID", "html": "HTML",
	"http": "HTTP", "https": "HTTPS", "id": "ID", "ids": "IDs", "ip": "IP", "ivr": "IVR",
	"json": "JSON", "moh": "MOH", "ms": "MS", "mwi": "MWI", "pin": "PIN", "qps": "QPS",
	"rtp": "RTP", "sip": "SIP", "sms": "SMS", "smtp": "SMTP", "sql": "SQL", "srtp": "SRTP",
	"ssh": "SSH", "t38": "T38", "tcp": "TCP", "tls": "TLS", "ttl": "TTL", "tts": "TTS",
	"udp": "UDP", "ui": "UI", "uri": "URI", "url": "URL", "urls": "URLs", "utc": "UTC",
	"uuid": "UUID", "vm": "VM", "xml": "XML", "xmpp": "XMPP",
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
	for _, w := range splitWords(s) {
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

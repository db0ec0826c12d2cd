package kzrt

import (
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Format checks a string against a JSON Schema "format". Unknown formats
// pass, as the specification asks.
func (v *Validator) Format(s, format string) {
	var ok bool
	switch format {
	case "email":
		ok = isEmail(s)
	case "uri":
		ok = isURI(s)
	case "ipv4":
		ok = isIPv4(s)
	case "ipv6":
		ok = isIPv6(s)
	case "hostname":
		ok = isHostname(s)
	case "regex":
		_, err := regexp.Compile(s)
		ok = err == nil
	default:
		return
	}
	if !ok {
		v.Reportf("%q is not a valid %s", s, format)
	}
}

// isIPv4 accepts dotted quads with no leading zeros (RFC 2673 style).
func isIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || (len(p) > 1 && p[0] == '0') || p[0] == '+' || p[0] == '-' {
			return false
		}
	}
	return true
}

// isIPv6 accepts any address net.ParseIP reads that is written with colons.
func isIPv6(s string) bool {
	return strings.Contains(s, ":") && net.ParseIP(s) != nil
}

// isHostname applies RFC 1123: at most 253 characters, dot-separated labels
// of 1 to 63 letters, digits and hyphens, no label starting or ending with
// a hyphen.
func isHostname(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) < 1 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// isEmail accepts an RFC 5322 address of at most 254 characters whose local
// part has at most 64 and whose domain is a hostname or a bracketed IP.
func isEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 || at > 64 {
		return false
	}
	domain := s[at+1:]
	if len(domain) >= 2 && domain[0] == '[' && domain[len(domain)-1] == ']' {
		ip := domain[1 : len(domain)-1]
		if rest, ok := strings.CutPrefix(ip, "IPv6:"); ok {
			return isIPv6(rest)
		}
		return isIPv4(ip)
	}
	if !isHostname(domain) {
		return false
	}
	_, err := mail.ParseAddress(s)
	return err == nil
}

// isURI accepts an absolute URI (one with a scheme) that net/url parses.
func isURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs()
}

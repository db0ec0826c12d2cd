package kzrt

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Blacklist is Kazoo's client blacklist: the hosts and networks a callflow
// may not send Kazoo's HTTP requests to (pivot voice_url, record_call url,
// webhook uri…). Kazoo's default is the host "localhost" and the networks
// 127.0.0.1/32 and 0.0.0.0/32 (core/kazoo_web kz_http_util); operators
// extend it and are advised to add their private ranges. Generated
// Validate methods check with the default; Validate with WithURLBlacklist
// checks with a site's own list.
//
// A Blacklist is immutable and safe for concurrent use; With returns an
// extended copy.
type Blacklist struct {
	hosts []string       // lower-cased host names, compared exactly
	nets  []netip.Prefix // compared with hosts written as IP addresses
}

// ErrInvalidClientURL is Kazoo's reason for refusing a client URL
// ("invalid client URL"); CheckURL's errors wrap it.
var ErrInvalidClientURL = errors.New("invalid client URL")

// defaultBlacklist is what a nil *Blacklist checks with.
var defaultBlacklist = DefaultBlacklist()

// DefaultBlacklist returns Kazoo's default client blacklist.
func DefaultBlacklist() *Blacklist {
	return &Blacklist{
		hosts: []string{"localhost"},
		nets:  []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("0.0.0.0/32")},
	}
}

// NewBlacklist returns a blacklist of exactly entries (see With for their
// forms). NewBlacklist() blocks no host at all, which suits local testing
// against a server on 127.0.0.1; the scheme must still be http or https.
// A site's blacklist is usually Kazoo's default extended:
// DefaultBlacklist().With(…).
func NewBlacklist(entries ...string) (*Blacklist, error) {
	return (&Blacklist{}).With(entries...)
}

// With returns a copy of b extended by entries, each a host name
// ("pbx.internal"), an IP address ("10.0.0.1", taken as a /32 or /128) or a
// network in CIDR notation ("10.0.0.0/8", "fd00::/8"). A nil b is the
// default blacklist.
func (b *Blacklist) With(entries ...string) (*Blacklist, error) {
	if b == nil {
		b = defaultBlacklist
	}
	out := &Blacklist{hosts: slices.Clone(b.hosts), nets: slices.Clone(b.nets)}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		switch {
		case e == "":
			return nil, fmt.Errorf("empty blacklist entry")
		case strings.Contains(e, "/"):
			p, err := netip.ParsePrefix(e)
			if err != nil {
				return nil, fmt.Errorf("blacklist entry %q: not a network in CIDR notation", e)
			}
			out.nets = append(out.nets, p.Masked())
		default:
			if a, err := netip.ParseAddr(e); err == nil {
				out.nets = append(out.nets, netip.PrefixFrom(a, a.BitLen()))
				continue
			}
			if strings.ContainsAny(e, " \t:@?#") {
				return nil, fmt.Errorf("blacklist entry %q: not a host name, an IP address or a network", e)
			}
			out.hosts = append(out.hosts, strings.ToLower(e))
		}
	}
	return out, nil
}

// String lists the entries, hosts first: "localhost, 127.0.0.1/32, …".
func (b *Blacklist) String() string {
	if b == nil {
		b = defaultBlacklist
	}
	parts := slices.Clone(b.hosts)
	for _, p := range b.nets {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, ", ")
}

// CheckURL applies Kazoo's client URL check: the scheme must be http or
// https and the host must not be on the blacklist (a nil b is the default
// one). Host names are compared lower-cased and exactly ("localhost." is
// another name); a host written as an IP address is compared with the
// networks; the port and user info are ignored. The error wraps
// ErrInvalidClientURL and says why. How Kazoo treats IPv4-mapped IPv6,
// non-canonical IPv4 forms ("127.1") and a URL without a host is
// unverified; they are judged as written, the lenient choice.
func (b *Blacklist) CheckURL(rawURL string) error {
	if b == nil {
		b = defaultBlacklist
	}
	scheme, host := splitURL(rawURL)
	if scheme != "http" && scheme != "https" {
		if scheme == "" {
			return fmt.Errorf("%w: no http or https scheme", ErrInvalidClientURL)
		}
		return fmt.Errorf("%w: scheme %q, only http and https are allowed", ErrInvalidClientURL, scheme)
	}
	if a, err := parseAddr(host); err == nil {
		for _, p := range b.nets {
			if p.Contains(a) {
				return fmt.Errorf("%w: host %s is on the client blacklist (%s)", ErrInvalidClientURL, host, p)
			}
		}
		return nil
	}
	if slices.Contains(b.hosts, host) {
		return fmt.Errorf("%w: host %s is on the client blacklist", ErrInvalidClientURL, host)
	}
	return nil
}

// errNotAddr is parseAddr's answer for a host name.
var errNotAddr = errors.New("not an IP address")

// parseAddr is netip.ParseAddr for a host from splitURL, which answers a
// host name without building netip's error: a host without ":" (so no IPv6
// address) and with a byte other than a digit or "." is no IPv4 address
// either.
func parseAddr(host string) (netip.Addr, error) {
	if !strings.Contains(host, ":") && strings.ContainsFunc(host, func(r rune) bool { return r != '.' && (r < '0' || r > '9') }) {
		return netip.Addr{}, errNotAddr
	}
	return netip.ParseAddr(host)
}

// splitURL finds a URL's scheme and host the way Kazoo's urlsplit (a port
// of Python's) does: the scheme lower-cased, the host lower-cased without
// user info, port or IPv6 brackets. It never fails: text that is no URL
// gives an empty scheme or host.
func splitURL(raw string) (scheme, host string) {
	rest := raw
	if i := strings.IndexByte(raw, ':'); i > 0 && validScheme(raw[:i]) {
		scheme, rest = strings.ToLower(raw[:i]), raw[i+1:]
	}
	netloc, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return scheme, ""
	}
	if i := strings.IndexAny(netloc, "/?#"); i >= 0 {
		netloc = netloc[:i]
	}
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		netloc = netloc[i+1:]
	}
	if strings.HasPrefix(netloc, "[") {
		if end := strings.IndexByte(netloc, ']'); end > 0 {
			return scheme, strings.ToLower(netloc[1:end])
		}
	}
	host, _, _ = strings.Cut(netloc, ":")
	return scheme, strings.ToLower(host)
}

func validScheme(s string) bool {
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

package serve

import (
	"net"
	"net/url"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// URLBlacklist is the option an example's handlers take for Kazoo's client
// URL check, given the URL at which Kazoo reaches the example: Kazoo's
// default blacklist, except while that URL is on this machine (the default
// -public-url, a test server). The example's follow-up pivots then point
// at itself, which Kazoo's default refuses, so no host is blocked: kzgen
// simulate and the tests can run it, and the simulator notes where Kazoo
// would refuse the URL.
func URLBlacklist(publicURL string) pivot.Option {
	u, err := url.Parse(publicURL)
	if err != nil {
		return pivot.WithURLBlacklist(nil)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if strings.EqualFold(host, "localhost") || ip != nil && (ip.IsLoopback() || ip.IsUnspecified()) {
		local, _ := kzrt.NewBlacklist() // no entries: cannot fail
		return pivot.WithURLBlacklist(local)
	}
	return pivot.WithURLBlacklist(nil)
}

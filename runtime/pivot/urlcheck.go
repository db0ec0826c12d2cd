package pivot

import "github.com/kzgen/kzgen/runtime/kzrt"

// WithURLBlacklist validates the callflows Handler and Router answer with
// b as the client URL blacklist instead of Kazoo's default (the host
// "localhost", 127.0.0.1/32 and 0.0.0.0/32): a pivot's voice_url, a
// recording's url or a webhook's uri on b is refused, and the caller gets
// the fallback, as Kazoo would refuse the callflow. Give it the blacklist
// your Kazoo is configured with, usually the default extended with your
// private ranges: kzrt.DefaultBlacklist().With("10.0.0.0/8", …). For
// local testing, where follow-up pivots point at a server on this machine,
// kzrt.NewBlacklist() blocks no host. A nil b keeps the default.
func WithURLBlacklist(b *kzrt.Blacklist) Option {
	return func(c *config) { c.blacklist = b }
}

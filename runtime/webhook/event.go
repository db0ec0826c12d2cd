package webhook

import (
	"net/http"
	"net/url"
	"time"

	"github.com/kzgen/kzgen/runtime/wire"
)

// Params is the ordered field tree of a delivery: the decoded JSON object, or
// the query/form pairs with bracketed keys nested back into objects and
// lists. Kazoo's webhooks and Pivot share one form encoding
// (kz_http_util:json_to_querystring), so this is runtime/wire's tree; look
// fields up with Get and Lookup, e.g. "custom_channel_vars[Bridge-ID]".
type Params = wire.Params

// Value is one field value of a delivery: a string, number, boolean, list or
// object, as runtime/wire holds it.
type Value = wire.Value

// The hook names Kazoo's webhooks app offers (the webhook document's "hook"),
// as Event.Hook reports them, plus HookCallflow for the callflow "webhook"
// action.
const (
	HookChannelCreate  = "channel_create"
	HookChannelAnswer  = "channel_answer"
	HookChannelBridge  = "channel_bridge"
	HookChannelDestroy = "channel_destroy"
	HookObject         = "object"
	HookNotifications  = "notifications"
	HookParking        = "parking"
	// HookCallflow is the one-off hook a callflow's "webhook" action fires
	// when a call reaches it (Kazoo's cf_webhook names it "callflow").
	HookCallflow = "callflow"
)

// The actions of an object event (ObjectEvent.Action).
const (
	ObjectCreated = "doc_created"
	ObjectEdited  = "doc_edited"
	ObjectDeleted = "doc_deleted"
)

// Format says how a delivery carried its fields: runtime/wire's body
// format, which Pivot requests share. Its String is "query", "form", "json"
// or "unset".
type Format = wire.BodyFormat

// The delivery formats. The zero value means "not set".
const (
	FormatQuery = wire.BodyQuery // GET: the URL's query string, form-encoded
	FormatForm  = wire.BodyForm  // POST or PUT, application/x-www-form-urlencoded (the hook's "form-data")
	FormatJSON  = wire.BodyJSON  // POST or PUT, application/json (the hook's "json")
)

// Event is one decoded delivery: *ChannelEvent, *ObjectEvent,
// *NotificationEvent, *ParkingEvent, *CallflowEvent or *UnknownEvent. Use a
// type switch, or On to dispatch by hook.
type Event interface {
	// Hook names the event: HookChannelDestroy, HookObject, … For an
	// UnknownEvent it is the payload's hook_event or event_name, or "".
	Hook() string
	// Info returns what every delivery has: headers, format, every field
	// received.
	Info() *Delivery
}

// Delivery is what every event carries besides its typed fields. Each event
// type embeds it, so e.Get("custom_field") and e.HookID work on any of them.
type Delivery struct {
	hook string

	// HookID is the X-Hook-ID header: the webhook document's ID. Kazoo
	// sends no per-delivery ID.
	HookID string
	// HookAccountID is the X-Account-ID header: the account that owns the
	// hook. With include_subaccounts, the event's own account_id may be a
	// sub-account of it.
	HookAccountID string
	// ClusterID is the cluster_id field Kazoo adds to every payload.
	ClusterID string
	// Method is the HTTP method: GET, POST or PUT (the hook's http_verb).
	Method string
	// Format is where the fields were: query, form or json.
	Format Format

	// Raw holds every field received, known or not, in arrival order. A
	// secret checked by WithSecret has been removed.
	Raw Params
	// Extra holds the top-level fields of Raw that no typed field of the
	// event holds: the hook's custom_data (Kazoo merges it into the
	// payload) and fields this package does not know.
	Extra Params
	// Values holds the query or form pairs as sent, keys with their
	// brackets ("custom_channel_vars[Owner-ID]"); nil for JSON. It keeps
	// repeated keys that Raw, where the last one wins, does not.
	Values url.Values
	// URLQuery holds, for POST and PUT, the hook URI's own query
	// parameters. For GET they are part of Raw and Values, since Kazoo
	// appends the payload to that same URL.
	URLQuery url.Values
	// Header holds the request headers, Authorization removed.
	Header http.Header

	// Problems lists fields whose value did not fit its type (a duration
	// that is not a number, say). The typed field is left zero; the value
	// is still in Raw. The handler logs them and calls the receiver anyway.
	Problems []*FieldError
}

// Hook names the event; see Event.
func (d *Delivery) Hook() string { return d.hook }

// Info returns d.
func (d *Delivery) Info() *Delivery { return d }

// Get returns the text of the named field, or "" when it is absent. Bracketed
// names walk into objects and lists: "custom_application_vars[ivr_step]".
// Lists and objects come back as compact JSON; see wire.Params.Lookup.
func (d *Delivery) Get(name string) string { return d.Raw.Get(name) }

// Lookup returns the named field and whether it is present; see Get.
func (d *Delivery) Lookup(name string) (Value, bool) { return d.Raw.Lookup(name) }

// Call holds the call fields that channel events and the callflow webhook
// action share. Fields Kazoo did not send are "" (or nil).
type Call struct {
	CallID         string // call_id: this leg's call ID
	OtherLegCallID string // other_leg_call_id: the bridged leg, if any
	AccountID      string // account_id: the account the call belongs to
	CallerIDName   string // caller_id_name
	CallerIDNumber string // caller_id_number
	CalleeIDName   string // callee_id_name
	CalleeIDNumber string // callee_id_number
	From           string // from: user@realm of the SIP From
	To             string // to: user@realm of the SIP To
	Request        string // request: user@realm of the SIP Request-URI
	Inception      string // inception: the call's origin as Kazoo recorded it

	AuthorizingID   string // authorizing_id: the device, user, resource… that authorised the call
	AuthorizingType string // authorizing_type: its document type, e.g. "device"
	OwnerID         string // owner_id: the user owning the authorising device

	// CustomApplicationVars are the call's custom_application_vars, as
	// the set_variables callflow action writes them: tag each IVR step with
	// them and read them back on channel_destroy. Values that were not
	// strings are kept as their text or JSON.
	CustomApplicationVars map[string]string
}

// ChannelEvent is a channel_create, channel_answer, channel_bridge or
// channel_destroy event (Hook says which). Each leg of a call has its own
// events: an A-leg and its B-leg each send theirs.
type ChannelEvent struct {
	Delivery
	Call

	ResellerID    string // reseller_id
	CallDirection string // call_direction: "inbound" or "outbound"
	CallForwarded bool   // call_forwarded

	// CustomChannelVars are the leg's custom_channel_vars, the ones Kazoo
	// reserves for itself removed. Values that were not strings are kept
	// as their text or JSON.
	CustomChannelVars map[string]string

	EmergencyResourceUsed bool   // emergency_resource_used
	LocalResourceUsed     bool   // local_resource_used
	LocalResourceID       string // local_resource_id
	IsInternalLeg         bool   // is_internal_leg: a loopback leg inside Kazoo

	// Timestamp is the event's time, from timestamp (Gregorian seconds;
	// see the package documentation).
	Timestamp time.Time

	// channel_bridge only.
	OriginalNumber            string // original_number
	OtherLegDestinationNumber string // other_leg_destination_number

	// channel_destroy only.
	HangupCause     string        // hangup_cause, e.g. "NORMAL_CLEARING", "USER_BUSY"
	HangupCode      string        // hangup_code, e.g. "sip:200", "sip:486"
	Duration        time.Duration // duration_seconds: the whole leg
	RingingDuration time.Duration // ringing_seconds
	BillingDuration time.Duration // billing_seconds: from answer to hangup
}

// ObjectEvent is an "object" event: a document was created, edited or
// deleted. Kazoo sends only which one; fetch it through Crossbar for its
// content.
type ObjectEvent struct {
	Delivery

	ID        string // id: the document's ID
	AccountID string // account_id
	Action    string // action: ObjectCreated, ObjectEdited or ObjectDeleted
	// Type is the document type: account, callflow, device, faxbox, media,
	// user, vmbox, fax, mailbox_message, call_recording.
	Type string
}

// NotificationEvent is a "notifications" event: one of Kazoo's notification
// messages (voicemail_new, missed_call, register, deregister, fax results,
// port events, low_balance, …), keys in lower_snake_case. The fields every
// notification has are typed; the ones particular to each kind are in Extra
// and Raw.
type NotificationEvent struct {
	Delivery

	Name      string // event_name: the notification kind, e.g. "voicemail_new"
	Category  string // event_category: "notification"
	AccountID string // account_id
	CallID    string // call_id, for notifications about a call

	// Timestamp is timestamp, when the notification has one.
	Timestamp time.Time

	AppName    string // app_name: the Kazoo application that sent it
	AppVersion string // app_version
	Node       string // node: the Erlang node that sent it
	MsgID      string // msg_id
}

// ParkingEvent is a "parking" event: a call was parked (PARK_PARKED), taken
// back (PARK_RETRIEVED) or hung up while parked (PARK_ABANDONED).
type ParkingEvent struct {
	Delivery

	Name           string // event_name: PARK_PARKED, PARK_RETRIEVED or PARK_ABANDONED
	AccountID      string // account_id
	CallID         string // call_id
	CallerIDName   string // caller_id_name
	CallerIDNumber string // caller_id_number
	CalleeIDName   string // callee_id_name
	CalleeIDNumber string // callee_id_number
	ParkingSlot    string // parking_slot, a number sent as a number or a string
}

// CallflowEvent is what a callflow's "webhook" action sends when a call
// reaches it: the call record in lower_snake_case (Kazoo leaves out its
// key-value store, queues and custom channel variables) merged with the
// action's custom_data, which lands in Extra. Use it to track a caller
// through a phone tree: one webhook node per step, with the step in
// custom_data.
type CallflowEvent struct {
	Delivery
	Call

	Language string // language: the call's language, when set
}

// UnknownEvent is a delivery this package does not recognise (sms, mms,
// events of newer Kazoo versions, an empty request): every field is in Raw.
type UnknownEvent struct {
	Delivery
}

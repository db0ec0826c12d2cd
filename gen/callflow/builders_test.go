package callflow_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/load/reference"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// raw is shorthand for a json.RawMessage literal.
func raw(s string) json.RawMessage { return json.RawMessage(s) }

// Realistic 32-hex document ids, as Kazoo generates them.
const (
	userID     = "6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f"
	user2ID    = "0a9b8c7d6e5f40312a3b4c5d6e7f8091"
	deviceID   = "3c2b1a09f8e7d6c5b4a3928170615243"
	groupID    = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
	vmboxID    = "b1c2d3e4f5a60718293a4b5c6d7e8f90"
	mediaID    = "5d4c3b2a1f0e9d8c7b6a594837261504"
	menuID     = "7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"
	confID     = "c0ffee00c0ffee00c0ffee00c0ffee00"
	callflowID = "1b2c3d4e5f60718293a4b5c6d7e8f901"
	listID     = "e1d2c3b4a5968778695a4b3c2d1e0f9a"
	queueID    = "4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"
	faxboxID   = "f00dfacef00dfacef00dfacef00dface"
	dirID      = "d1ec7047d1ec7047d1ec7047d1ec7047"
	functionID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	ruleDayID  = "8c7b6a5948372615f4e3d2c1b0a99887"
	ruleHolID  = "2468ace02468ace02468ace02468ace0"
)

// ---------------------------------------------------------------------------
// Kazoo's way of validating, with santhosh-tekuri/jsonschema as the engine.

var (
	kazooOnce sync.Once
	kazooSet  *load.Set
	kazooErr  error
)

// kazooSchemas loads and compiles Kazoo's real callflow schemas (and what
// they reference) once per test binary, or skips when they are absent.
func kazooSchemas(t testing.TB) *load.Set {
	t.Helper()
	dir := kazootest.SchemaDir(t)
	kazooOnce.Do(func() {
		kazooSet, kazooErr = reference.Load(os.DirFS(dir), load.Options{Match: "callflows*", Name: dir})
	})
	if kazooErr != nil {
		t.Fatalf("loading Kazoo's schemas: %v", kazooErr)
	}
	return kazooSet
}

// decodeAny decodes JSON the way santhosh expects it: numbers as json.Number.
func decodeAny(t testing.TB, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	if d.More() {
		t.Fatalf("decoding %s: trailing data", b)
	}
	return v
}

// quoted finds the property names in santhosh's "missing properties: 'a', 'b'".
var quoted = regexp.MustCompile(`'([^']*)'`)

// schemaErrors validates v against the compiled schema id and returns the
// instance pointers of the leaf errors, each prefixed with at.
func schemaErrors(t testing.TB, set *load.Set, id string, v any, at string) []string {
	t.Helper()
	s := set.Get(id)
	if s == nil {
		t.Fatalf("schema %s is not loaded", id)
	}
	err := s.Compiled.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("validating against %s: %v", id, err)
	}
	var out []string
	var leaves func(*jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			// santhosh reports a missing required property at its parent;
			// Validate at the property itself. Point at the property.
			if strings.HasSuffix(e.KeywordLocation, "/required") {
				if names := quoted.FindAllStringSubmatch(e.Message, -1); names != nil {
					for _, n := range names {
						out = append(out, at+e.InstanceLocation+"/"+escapeToken(n[1]))
					}
					return
				}
			}
			out = append(out, at+e.InstanceLocation)
			return
		}
		for _, c := range e.Causes {
			leaves(c)
		}
	}
	leaves(ve)
	return out
}

// kazooNodeErrors checks one callflow node as Kazoo does (facts part d):
// the node against callflows.action, and, at every depth, the module must
// have a callflows.<module> schema and the data must validate against it.
// It returns the pointers of every problem, sorted and deduplicated.
func kazooNodeErrors(t testing.TB, set *load.Set, node any, at string) []string {
	t.Helper()
	errs := schemaErrors(t, set, "callflows.action", node, at)
	errs = append(errs, kazooModules(t, set, node, at)...)
	sort.Strings(errs)
	return slices.Compact(errs)
}

func kazooModules(t testing.TB, set *load.Set, node any, at string) []string {
	m, ok := node.(map[string]any)
	if !ok {
		return nil // reported by callflows.action
	}
	var errs []string
	if module, ok := m["module"].(string); ok {
		s := set.Get("callflows." + module)
		switch {
		case s == nil:
			errs = append(errs, at+"/module") // "unable to find callflow schema"
		case m["data"] != nil:
			errs = append(errs, schemaErrors(t, set, s.ID, m["data"], at+"/data")...)
		}
	}
	if children, ok := m["children"].(map[string]any); ok {
		for k, c := range children {
			errs = append(errs, kazooModules(t, set, c, at+"/children/"+escapeToken(k))...)
		}
	}
	return errs
}

// kazooDocumentErrors checks a callflow document: its own properties against
// callflows (which checks flow against callflows.action by $ref), and every
// node under /flow as kazooNodeErrors does.
func kazooDocumentErrors(t testing.TB, set *load.Set, doc any) []string {
	t.Helper()
	errs := schemaErrors(t, set, "callflows", doc, "")
	if m, ok := doc.(map[string]any); ok && m["flow"] != nil {
		errs = append(errs, kazooModules(t, set, m["flow"], "/flow")...)
	}
	sort.Strings(errs)
	return slices.Compact(errs)
}

func escapeToken(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// validatePointers runs Validate and returns its pointers (nil when valid).
func validatePointers(t testing.TB, tree interface{ Validate() error }) []string {
	t.Helper()
	err := tree.Validate()
	if err == nil {
		return nil
	}
	es := kzrt.AsErrors(err)
	if len(es) == 0 {
		t.Fatalf("Validate returned %T, not kzrt.Errors: %v", err, err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Pointer)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// ---------------------------------------------------------------------------

// moduleCases builds one realistic node per module with the generated
// builders: required fields as constructor arguments, several optional
// setters, enum constants, union structs, arrays and nested structs.
func moduleCases() []struct {
	module string
	node   callflow.Builder
} {
	type c = struct {
		module string
		node   callflow.Builder
	}
	goodbye := callflow.TTS("Thank you for calling. Goodbye.").Then(callflow.Hangup())
	return []c{
		{"acdc_agent", callflow.ACDCAgent().
			Action(callflow.ACDCAgentActionPaused).
			Timeout(900).
			PresenceID("agent-1001@pbx.example.com").
			PresenceState(callflow.ACDCAgentPresenceStateRedFlash)},
		{"acdc_member", callflow.ACDCMember().ID(queueID).Priority(5).
			Then(callflow.Voicemail().ID(vmboxID))},
		{"acdc_queue", callflow.ACDCQueue().Action(callflow.ACDCQueueActionLogin).ID(queueID)},
		{"acdc_wait_time", callflow.ACDCWaitTime().ID(queueID).Window(1800).
			Branch("300", callflow.Voicemail().ID(vmboxID)).
			Then(callflow.ACDCMember().ID(queueID))},
		{"after_bridge", callflow.AfterBridge().
			Action(callflow.AfterBridgeActionTransfer).
			Data(callflow.AfterBridgeDataValue{String: new("+14155550199")})},
		{"answer", callflow.Answer().SkipModule(false).
			Then(callflow.Play().ID(mediaID))},
		{"audio_macro", callflow.AudioMacro(
			callflow.TTSMacro("Your balance is"),
			callflow.SayMacro().Text("42").Type(callflow.AudioMacroSayTypeCurrency).Method(callflow.AudioMacroSayMethodPronounced),
			callflow.ToneMacro().Frequencies(440, 480).DurationOn(2000).DurationOff(4000),
		).Language("en-us").Terminators("#", "*")},
		{"branch_bnumber", callflow.BranchBnumber().
			Hunt(true).
			HuntAllow(`^\+?1[2-9]\d{9}$`).
			HuntDeny(`^(911|933)$`)},
		{"branch_variable", callflow.BranchVariable().Variable("call_priority").
			Scope(callflow.BranchVariableScopeCustomChannelVars).
			Branch("high", callflow.RingGroup(callflow.GroupEndpoint(groupID))).
			Then(callflow.Voicemail().ID(vmboxID))},
		{"call_forward", callflow.CallForward().Action(callflow.CallForwardActionToggle)},
		{"call_waiting", callflow.CallWaiting().
			Action(callflow.CallWaitingActionActivate).
			Scope(callflow.CallWaitingScopeUser)},
		{"callflow", callflow.Callflow().ID(callflowID)},
		{"camping_feature", callflow.CampingFeature().SkipModule(false)},
		{"check_cid", callflow.CheckCID().
			Regex(`^\+?1?415\d{7}$`).
			UseAbsoluteMode(false).
			CallerID(callflow.CheckCIDCallerID{External: &callflow.CheckCIDCallerIDExternal{
				Name:   new("Bay Area"),
				Number: new("+14155550100"),
			}}).
			Branch("match", callflow.User().ID(userID)).
			Branch("nomatch", callflow.Voicemail().ID(vmboxID))},
		{"cidlistmatch", callflow.CIDListMatch().ID(listID).
			Branch("match", callflow.Hangup()).
			Branch("nomatch", callflow.User().ID(userID))},
		{"collect_dtmf", callflow.CollectDTMF().
			CollectionName("account_number").
			MaxDigits(8).
			Timeout(10000).
			InterdigitTimeout(3000).
			Terminators(callflow.CollectDTMFTerminatorHash, callflow.CollectDTMFTerminatorStar).
			Then(callflow.Pivot("https://ivr.example.com/kazoo/account").
				Method(callflow.PivotMethodPost).
				ReqBodyFormat(callflow.PivotReqBodyFormatJSON))},
		{"conference", callflow.Conference().
			ID(confID).
			Moderator(false).
			PlayEntryTone(callflow.ConferencePlayEntryTone{Bool: new(true)}).
			PlayExitTone(callflow.ConferencePlayExitTone{String: new("tone_stream://%(200,0,500,600,700)")}).
			WelcomePrompt(callflow.ConferenceWelcomePrompt{MediaID: new(mediaID), Play: new(true)})},
		{"conference_feature", callflow.ConferenceFeature().
			Moderator(true).
			PlayEntryTone(callflow.ConferenceFeaturePlayEntryTone{Bool: new(false)}).
			Config(callflow.Conferences{
				Name:              new("Weekly sales sync"),
				ConferenceNumbers: []string{"3000", "3001"},
				MaxParticipants:   new(int64(25)),
				Member: &callflow.ConferencesMember{
					JoinMuted: new(true),
					PINs:      []string{"4321"},
				},
				Moderator: &callflow.ConferencesModerator{PINs: []string{"9876"}},
				PlayName:  new(true),
			})},
		{"dead_air", callflow.DeadAir()},
		{"device", callflow.Device().
			ID(deviceID).
			Timeout(25).
			Delay(0).
			CanCallSelf(false).
			DialStrategy(callflow.DeviceDialStrategySimultaneous).
			CustomSIPHeaders(callflow.CustomSIPHeaders{"X-Account-Tier": "gold"}).
			Then(callflow.Voicemail().ID(vmboxID))},
		{"directory", callflow.Directory().ID(dirID)},
		{"disa", callflow.Disa().
			PIN("4321").
			Retries(3).
			MaxDigits(15).
			Interdigit(2000).
			PreconnectAudio(callflow.DisaPreconnectAudioDialtone).
			UseAccountCallerID(true).
			EnforceCallRestriction(true)},
		{"do_not_disturb", callflow.DoNotDisturb().Action(callflow.DoNotDisturbActionToggle)},
		{"dynamic_cid", callflow.DynamicCID().
			Action(callflow.DynamicCIDActionManual).
			MinDigits(10).
			MaxDigits(10).
			WhitelistRegex(`^\d{10}$`).
			CallerID(callflow.DynamicCIDCallerID{Name: new("Acme Support")}).
			MediaID(mediaID)},
		{"eavesdrop", callflow.Eavesdrop().UserID(userID).ApprovedGroupID(groupID)},
		{"eavesdrop_feature", callflow.EavesdropFeature().GroupID(groupID).ApprovedUserID(user2ID)},
		{"edr", callflow.EDR()},
		{"fax_detect", callflow.FaxDetect().Duration(5).
			Branch("ON_FAX", callflow.ReceiveFax().OwnerID(userID)).
			Then(callflow.User().ID(userID))},
		{"faxbox", callflow.Faxbox().
			ID(faxboxID).
			Media(callflow.FaxboxMedia{FaxOption: &callflow.FaxboxMediaFaxOption{
				String: new(callflow.FaxboxMediaFaxOptionStringAuto),
			}})},
		{"flush_dtmf", callflow.FlushDTMF().CollectionName("account_number")},
		{"function", callflow.Function().ID(functionID)},
		{"group", callflow.Group().
			ID(groupID).
			Strategy(callflow.GroupStrategySimultaneous).
			Timeout(30).
			Repeats(1).
			IgnoreForward(true).
			Endpoints(deviceID, userID).
			Ringtones(callflow.GroupRingtones{Internal: new("ring2"), External: new("ring1")})},
		{"group_pickup", callflow.GroupPickup().GroupID(groupID).ApprovedUserID(userID)},
		{"group_pickup_feature", callflow.GroupPickupFeature().Type(callflow.GroupPickupFeatureTypeExtension).
			ApprovedGroupID(groupID)},
		{"hangup", callflow.Hangup()},
		{"hotdesk", callflow.Hotdesk().Action(callflow.HotdeskActionLogin).InterdigitTimeout(2000)},
		{"intercept", callflow.Intercept().DeviceID(deviceID).ApprovedUserID(userID)},
		{"intercept_feature", callflow.InterceptFeature().
			Type(callflow.InterceptFeatureTypeExtension).
			ApprovedGroupID(groupID)},
		{"intercom", callflow.Intercom().BargeCalls(false).
			Then(callflow.Device().ID(deviceID))},
		{"language", callflow.Language("fr-ca").
			Then(callflow.TTS("Bienvenue").Language("fr-ca"))},
		{"lookupcidname", callflow.LookupCIDName().Lists(listID).
			Then(callflow.User().ID(userID))},
		{"manual_presence", callflow.ManualPresence("1001@pbx.example.com").
			Status(callflow.ManualPresenceStatusBusy)},
		{"menu", callflow.Menu().
			ID(menuID).
			InterdigitTimeout(2000).
			Branch("1", callflow.User().ID(userID)).
			Branch("2", callflow.Voicemail().ID(vmboxID)).
			Then(goodbye)},
		{"missed_call_alert", callflow.MissedCallAlert([]callflow.MissedCallAlertRecipient{
			{
				Type: new(callflow.MissedCallAlertRecipientTypeEmail),
				ID:   &callflow.MissedCallAlertRecipientID{String: new("frontdesk@example.com")},
			},
			{
				Type: new(callflow.MissedCallAlertRecipientTypeEmail),
				ID: &callflow.MissedCallAlertRecipientID{
					List: []string{"owner@example.com", "manager@example.com"},
				},
			},
		}...)},
		{"move", callflow.Move()},
		{"nomorobo", callflow.Nomorobo("acme-voice").Password("n0m0r0b0-api-token").
			Then(callflow.User().ID(userID))},
		{"noop", callflow.Noop()},
		{"notification", callflow.Notification().Recipients([]callflow.NotificationRecipient{{
			Type: new(callflow.NotificationRecipientTypeEmail),
			ID:   &callflow.NotificationRecipientID{String: new("support-leads@example.com")},
		}}...).
			Comments("Caller reached the after-hours line").
			NotificationMedia(callflow.NotificationNotificationMediaItemEmail, callflow.NotificationNotificationMediaItemSMS).
			SendAt(callflow.NotificationSendAtCallflowExec).
			TemplateID("callflow_notification")},
		{"offnet", callflow.Offnet().
			CallerIDType("external").
			IgnoreEarlyMedia(true).
			OutboundFlags("voice").
			Timeout(45).
			CustomSIPHeadersValue(callflow.OffnetCustomSIPHeadersFromObject(callflow.OffnetCustomSIPHeadersObject{
				Out: callflow.CustomSIPHeaders{"X-Billing-Code": "4421"},
			}))},
		{"page_group", callflow.PageGroup(
			callflow.DeviceEndpoint(deviceID),
			callflow.GroupEndpoint(groupID).DelayDuration(2*time.Second),
		).Audio(callflow.PageGroupAudioOneWay).BargeCalls(false).Timeout(10)},
		{"park", callflow.Park().
			Action(callflow.ParkActionPark).
			Slot("100").
			DefaultRingbackTimeout(120000).
			DefaultCallbackTimeout(30000).
			DefaultPresenceType(callflow.ParkDefaultPresenceTypeEarly).
			Slots(map[string]json.RawMessage{"100": raw(`{"ringback_timeout":90000}`)})},
		{"pivot", callflow.Pivot("https://ivr.example.com/kazoo/entry").
			Method(callflow.PivotMethodPost).
			ReqBodyFormat(callflow.PivotReqBodyFormatJSON).
			ReqFormat(callflow.PivotReqFormatKazoo).
			ReqTimeoutMS(3000).
			Debug(false).
			Then(goodbye)},
		{"play", callflow.Play().
			ID("https://media.example.com/prompts/welcome.mp3").
			Answer(true).
			LoopCount(2).
			Terminators("#")},
		{"prepend_cid", callflow.PrependCID().
			Action(callflow.PrependCIDActionPrepend).
			CallerIDNamePrefix("Sales: ").
			CallerIDNumberPrefix("9").
			ApplyTo(callflow.PrependCIDApplyToCurrent)},
		{"privacy", callflow.Privacy().
			Mode(callflow.PrivacyModeFull).
			EndpointStrategy(callflow.PrivacyEndpointStrategyOverwrite)},
		{"receive_fax", callflow.ReceiveFax().
			OwnerID(userID).
			Media(callflow.ReceiveFaxMedia{FaxOption: &callflow.ReceiveFaxMediaFaxOption{Bool: new(true)}})},
		{"record_call", callflow.RecordCall().Action(callflow.RecordCallActionStart).
			Format(callflow.RecordCallFormatMp3).
			TimeLimit(3600).
			RecordOnAnswer(true).
			URL("https://recordings.example.com/upload").
			Method(callflow.RecordCallMethodPut).
			Label("sales")},
		{"record_caller", callflow.RecordCaller().
			Format(callflow.RecordCallerFormatWav).
			TimeLimit(120).
			URL("https://recordings.example.com/voice-notes").
			Method(callflow.RecordCallerMethodPost)},
		{"resources", callflow.Resources().
			UseLocalResources(false).
			ToDID("+14155550123").
			CallerIDType("external").
			Timeout(60).
			EmitAccountID(true).
			CustomSIPHeaders(callflow.CustomSIPHeaders{"X-Route-Class": "premium"})},
		{"response", callflow.Response().Code(503).Message("Service Unavailable").Media(mediaID)},
		{"ring_group", callflow.RingGroup(
			callflow.UserEndpoint(userID).Timeout(20),
			callflow.RingGroupEndpoint{EndpointType: new(callflow.RingGroupEndpointEndpointTypeDevice), ID: new(deviceID), Delay: new(int64(5)), Weight: new(int64(50))},
		).
			Strategy(callflow.RingGroupStrategySingle).
			Timeout(40).
			Repeats(2).
			Ringback("%(2000,4000,440,480)").
			FailOnSingleReject(true).
			Then(callflow.Voicemail().ID(vmboxID))},
		{"ring_group_toggle", callflow.RingGroupToggle(callflow.RingGroupToggleActionLogin, callflowID)},
		{"route_to_cid", callflow.RouteToCID().
			CIDTypes("internal", "external").
			EndpointTypes("device").
			Timeout(20).
			CanCallSelf(false)},
		{"send_dtmf", callflow.SendDTMF("1234#").
			DurationMS(callflow.SendDTMFDurationMS{Int: new(int64(250))})},
		{"set", callflow.Set()},
		{"set_alert_info", callflow.SetAlertInfo("<http://www.notused.com>;info=ring2")},
		{"set_cid", callflow.SetCID().CallerIDName("Acme Support").CallerIDNumber("+14155550100")},
		{"set_variable", callflow.SetVariable().
			Variable("call_priority").
			Value("high").
			Channel(callflow.SetVariableChannelBoth)},
		{"set_variables", callflow.SetVariables().CustomApplicationVars(map[string]json.RawMessage{
			"campaign": raw(`"spring-sale"`),
			"tier":     raw(`"gold"`),
		}).Export(true)},
		{"skel", callflow.Skel()},
		{"sleep", callflow.Sleep().Duration(1500).Unit(callflow.SleepUnitMS)},
		{"temporal_route", callflow.TemporalRoute().
			Rules(ruleDayID, ruleHolID).
			Timezone("America/Los_Angeles").
			Branch(ruleDayID, callflow.User().ID(userID)).
			Branch(ruleHolID, callflow.Play().ID(mediaID)).
			Then(callflow.Voicemail().ID(vmboxID))},
		{"transfer", callflow.Transfer().
			Target("2001").
			TransferType(callflow.TransferTransferTypeBlind).
			Leg(callflow.TransferLegBleg)},
		{"tts", callflow.TTS("Welcome to Acme. Please hold.").
			Voice("female").
			Language("en-us").
			Engine(callflow.TTSEngineFlite).
			Terminators("#")},
		{"user", callflow.User().
			ID(userID).
			Timeout(20).
			Delay(0).
			CanCallSelf(false).
			FailOnSingleReject(false).
			Strategy(callflow.UserStrategySimultaneous).
			Then(callflow.Voicemail().ID(vmboxID))},
		{"voicemail", callflow.Voicemail().
			ID(vmboxID).
			Action(callflow.VoicemailActionCompose).
			MaxMessageLength(300).
			InterdigitTimeout(2000)},
		{"wait_for_hangup", callflow.WaitForHangup()},
		{"webhook", callflow.Webhook().
			URI("https://hooks.example.com/callflow").
			HTTPVerb(callflow.WebhookHTTPVerbPost).
			Retries(2).
			CustomData(map[string]json.RawMessage{"source": raw(`"main-ivr"`)}).
			Then(callflow.User().ID(userID))},
	}
}

func TestEveryModuleBuilderPassesKazoo(t *testing.T) {
	set := kazooSchemas(t)
	cases := moduleCases()

	modules := callflow.Modules().Names()
	known := map[string]bool{}
	for _, m := range modules {
		known[m] = true
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if !known[c.module] {
			t.Errorf("case %q: not in callflow.Modules().Names()", c.module)
		}
		if seen[c.module] {
			t.Errorf("case %q: listed twice", c.module)
		}
		seen[c.module] = true
	}
	for _, m := range modules {
		if !seen[m] {
			t.Errorf("module %q has no builder case", m)
		}
	}

	passed := 0
	for _, c := range cases {
		t.Run(c.module, func(t *testing.T) {
			node := c.node.Node()
			if node.Module != c.module {
				t.Fatalf("builder made module %q, want %q", node.Module, c.module)
			}
			b, err := json.Marshal(c.node)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			// The builder and its node encode alike.
			if nb, err := json.Marshal(node); err != nil || !bytes.Equal(b, nb) {
				t.Errorf("builder JSON %s, node JSON %s (err %v)", b, nb, err)
			}
			// Kazoo's verdict, with its own semantics, at every depth.
			if errs := kazootest.KazooTree(set, b); errs != nil {
				t.Errorf("Kazoo rejects %s: %v", b, errs)
			}
			// A draft-04 validator agrees, except on audio_macro's items,
			// which only Kazoo's keywords beside $ref tell apart.
			if c.module != "audio_macro" {
				v := decodeAny(t, b)
				// callflows.action on the node...
				if errs := schemaErrors(t, set, "callflows.action", v, ""); errs != nil {
					t.Errorf("callflows.action rejects %s at %v", b, errs)
				}
				// ...and callflows.<module> on its data.
				data := v.(map[string]any)["data"]
				if errs := schemaErrors(t, set, "callflows."+c.module, data, "/data"); errs != nil {
					t.Errorf("callflows.%s rejects %s at %v", c.module, b, errs)
				}
				// The same at every depth, for the children.
				if errs := kazooNodeErrors(t, set, v, ""); errs != nil {
					t.Errorf("draft-04 rejects the tree %s at %v", b, errs)
				}
			}
			if err := node.Validate(); err != nil {
				t.Errorf("Validate: %v\n%s", err, b)
			}
			// Data.Validate agrees on the node's own data.
			if err := node.Data.Validate(); err != nil {
				t.Errorf("Data.Validate: %v", err)
			}
			// The JSON parses back to the same JSON.
			tree, err := callflow.Parse(b)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			b2, err := json.Marshal(tree)
			if err != nil {
				t.Fatalf("re-marshal: %v", err)
			}
			if !bytes.Equal(b, b2) {
				t.Errorf("round trip changed the JSON:\n got %s\nwant %s", b2, b)
			}
			if !t.Failed() {
				passed++
			}
		})
	}
	t.Logf("%d/%d modules: builder output passes Kazoo's schemas and Validate", passed, len(modules))
	if passed != len(modules) {
		t.Errorf("only %d/%d modules pass", passed, len(modules))
	}
}

// TestBuilderRejections: a bad value must be refused by Kazoo's schemas
// (santhosh) and by Validate, at the same JSON pointer.
func TestBuilderRejections(t *testing.T) {
	set := kazooSchemas(t)
	cases := []struct {
		name string
		node callflow.Builder
		want string // pointer both must report
	}{
		{"tts empty text (minLength 1)", callflow.TTS(""), "/data/text"},
		{"tts text over 1000", callflow.TTS(strings.Repeat("a", 1001)), "/data/text"},
		{"pivot req_timeout_ms over 5000", callflow.Pivot("https://ivr.example.com/kazoo").ReqTimeoutMS(6000), "/data/req_timeout_ms"},
		{"pivot voice_url not http(s)", callflow.Pivot("ftp://ivr.example.com/kazoo"), "/data/voice_url"},
		{"pivot method out of enum", callflow.Pivot("https://ivr.example.com/kazoo").Method("put"), "/data/method"},
		{"voicemail id not 32 chars", callflow.Voicemail().ID("vm-1001"), "/data/id"},
		{"language pattern", callflow.Language("english"), "/data/language"},
		{"ring_group no endpoints (minItems 1)", callflow.RingGroup(), "/data/endpoints"},
		{"ring_group endpoint weight over 100", callflow.RingGroup(callflow.UserEndpoint(userID).Weight(101)), "/data/endpoints/0/weight"},
		{"collect_dtmf max_digits 0", callflow.CollectDTMF().MaxDigits(0), "/data/max_digits"},
		{"sleep negative", callflow.Sleep().Duration(-1), "/data/duration"},
		{"record_call time_limit under 5", callflow.RecordCall().Action(callflow.RecordCallActionStart).TimeLimit(4), "/data/time_limit"},
		{"nested: bad tts under menu digit 1", callflow.Menu().Branch("1", callflow.TTS("")), "/children/1/data/text"},
		{"nested deeper: bad pivot under collect_dtmf", callflow.TTS("Enter your PIN").Then(
			callflow.CollectDTMF().Then(callflow.Pivot("https://ivr.example.com").ReqTimeoutMS(10000))),
			"/children/_/children/_/data/req_timeout_ms"},
		{"missed_call_alert recipient not an email", callflow.MissedCallAlert([]callflow.MissedCallAlertRecipient{{
			Type: new(callflow.MissedCallAlertRecipientTypeEmail),
			ID:   &callflow.MissedCallAlertRecipientID{String: new("not-an-address")},
		}}...), "/data/recipients/0/id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.node)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			kz := kazooNodeErrors(t, set, decodeAny(t, b), "")
			if !slices.Contains(kz, c.want) {
				t.Errorf("Kazoo's schemas: pointers %v, want %s (JSON %s)", kz, c.want, b)
			}
			got := validatePointers(t, c.node.Node())
			if !slices.Contains(got, c.want) {
				t.Errorf("Validate: pointers %v, want %s", got, c.want)
			}
		})
	}
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// The IVR: a main menu (sales, or the support menu) and a support menu
// (billing, technical). Each menu is a Router step of its own name, which
// reads the key pressed at that menu: main is the entry (the voice_url the
// static callflow points at), support is reached through main's Gather.
// A key no option has, or none before the timeout, repeats the menu; the
// third miss connects the caller to the operator.

// menu is one menu: its prompt, and the option each key chooses.
type menu struct {
	// name is the menu's Router step, DTMF collection and funnel step.
	name    string
	prompt  string
	options []option
}

// option is what a key of a menu chooses: another menu, or a transfer to
// the destination of that name.
type option struct {
	key, name string
}

var (
	mainMenu = &menu{name: "main",
		prompt:  "Thank you for calling Example Corp. For sales, press 1. For support, press 2.",
		options: []option{{"1", "sales"}, {"2", "support"}}}
	supportMenu = &menu{name: "support",
		prompt:  "For billing, press 1. For technical support, press 2.",
		options: []option{{"1", "billing"}, {"2", "technical"}}}

	// menus are the IVR's menus, the entry first.
	menus = []*menu{mainMenu, supportMenu}
	// destinations are the transfers: a Kazoo user each. The operator takes
	// callers who miss a menu three times.
	destinations = []string{"sales", "billing", "technical", "operator"}
)

// The choices that are no option of a menu.
const (
	choiceInvalid = "invalid" // a key no option has
	choiceNone    = "none"    // no key before the timeout
)

// maxTries is how many entries a menu takes before the operator takes over.
const maxTries = 3

// The custom_application_vars every answer sets (set_variables): where the
// caller is now, and the choice that brought them there. Kazoo keeps them
// on the channel, so channel_destroy reports the last ones.
const (
	tagStep   = "ivr_step"
	tagChoice = "ivr_choice"
)

// ivr answers the menus' steps.
type ivr struct {
	users map[string]string // destination → Kazoo user ID
}

// register adds the menus' steps to rt.
func (v *ivr) register(rt *pivot.Router) {
	rt.Entry(mainMenu.name, v.menuStep(mainMenu))
	rt.Step(supportMenu.name, v.menuStep(supportMenu))
}

// menuStep reads the key pressed at m and answers what it chooses. Reached
// without a continuation (a new call at the entry), it presents m.
func (v *ivr) menuStep(m *menu) pivot.StepFunc {
	return func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		tries, asked := s.State["tries"]
		if !asked {
			return present(s, m, "", 0, ""), nil
		}
		key, _ := s.Digits.Collection(m.name)
		for _, o := range m.options {
			if o.key != key {
				continue
			}
			if next := menuNamed(o.name); next != nil {
				return present(s, next, o.name, 0, ""), nil
			}
			return v.transfer(o.name, o.name), nil
		}
		choice := choiceInvalid
		if key == "" {
			choice = choiceNone
		}
		n, _ := strconv.Atoi(tries)
		if n++; n >= maxTries {
			return v.transfer("operator", choice), nil
		}
		return present(s, m, choice, n, "Sorry, that is not a valid choice. "), nil
	}
}

// present says m's prompt (after preface) and collects one key for m's
// step, tagged: the caller is at m, brought there by choice.
func present(s *pivot.Step, m *menu, choice string, tries int, preface string) callflow.Builder {
	return tagged(m.name, choice,
		callflow.TTS(preface+m.prompt).Language("en-US").Then(
			s.Gather(m.name, m.name, pivot.State{"tries": strconv.Itoa(tries)}).MaxDigits(1).TimeoutDuration(5*time.Second)))
}

// transfer connects the caller to dest's user, tagged.
func (v *ivr) transfer(dest, choice string) callflow.Builder {
	return tagged(dest, choice,
		callflow.TTS("Connecting you to "+dest+".").Language("en-US").Then(
			callflow.User().ID(v.users[dest]).Timeout(20).Then(
				callflow.TTS("Nobody is available. Goodbye.").Language("en-US").Then(callflow.Hangup()))))
}

// tagged puts a set_variables node before flow, writing step and, when
// there was one, choice into the call's custom_application_vars. They are
// not exported, so the transfer's other leg does not carry them.
func tagged(step, choice string, flow callflow.Builder) callflow.Builder {
	vars := map[string]json.RawMessage{tagStep: jsonString(step)}
	if choice != "" {
		vars[tagChoice] = jsonString(choice)
	}
	return callflow.SetVariables().CustomApplicationVars(vars).Then(flow)
}

// tagsOf reads the tags of an answer: the root set_variables node tagged
// made. ok is false for an answer without them.
func tagsOf(flow *callflow.Node) (step, choice string, ok bool) {
	if flow == nil || flow.Module != "set_variables" {
		return "", "", false
	}
	d, isSet := flow.Data.(*callflow.SetVariablesData)
	if !isSet {
		return "", "", false
	}
	if json.Unmarshal(d.CustomApplicationVars[tagStep], &step) != nil || step == "" {
		return "", "", false
	}
	json.Unmarshal(d.CustomApplicationVars[tagChoice], &choice) // absent for a menu's first presentation
	return step, choice, true
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// menuNamed returns the menu named name, or nil.
func menuNamed(name string) *menu {
	for _, m := range menus {
		if m.name == name {
			return m
		}
	}
	return nil
}

// newRouter returns the IVR's Router under base (PUBLIC-URL/ivr), its
// steps observed by observe.
func newRouter(base string, key pivot.Key, users map[string]string, observe pivot.StepObserver, log *slog.Logger) (*pivot.Router, error) {
	for _, d := range destinations {
		if users[d] == "" {
			return nil, fmt.Errorf("no Kazoo user for the %s transfer", d)
		}
	}
	rt, err := pivot.NewRouter(strings.TrimRight(base, "/"), []pivot.Key{key}, pivot.WithLogger(log), pivot.WithStepObserver(observe), serve.URLBlacklist(base))
	if err != nil {
		return nil, err
	}
	(&ivr{users: users}).register(rt)
	return rt, nil
}

package simulate

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// TemporalRule is one document a temporal_route node refers to by ID: a
// temporal rule (Crossbar's temporal_rules: when it is active) or, when
// TemporalRules is set, a rule set (temporal_rules_sets: the rules it
// groups). The JSON names are Crossbar's.
type TemporalRule struct {
	// ID is the document's ID ("id", or "_id" as stored).
	ID string `json:"id"`
	// Name is the rule's name.
	Name string `json:"name"`
	// Cycle is how the rule repeats: date (one day), daily, weekly,
	// monthly or yearly.
	Cycle string `json:"cycle"`
	// Interval repeats the cycle every Interval days, weeks, months or
	// years, counted from StartDate; 0 means 1.
	Interval int `json:"interval"`
	// Days are days of the month (monthly, yearly).
	Days []int `json:"days"`
	// WDays are weekdays, "monday" … "sunday" (Kazoo also reads
	// "wensday"): the days of a weekly rule, or the weekday an Ordinal
	// counts.
	WDays []string `json:"wdays"`
	// Ordinal picks a weekday of the month: every, first … fifth, last.
	Ordinal string `json:"ordinal"`
	// Month is the month of a yearly rule, 1 to 12.
	Month int `json:"month"`
	// StartDate is when the rule starts, in Gregorian seconds (seconds
	// since year 0, as Erlang counts them); 0 means the schema default.
	StartDate int64 `json:"start_date"`
	// TimeWindowStart and TimeWindowStop bound the active part of a day,
	// in seconds after midnight; absent means 0 and 86400.
	TimeWindowStart *int64 `json:"time_window_start"`
	TimeWindowStop  *int64 `json:"time_window_stop"`
	// Enabled forces the rule on (true) or off (false); absent lets the
	// time decide.
	Enabled *bool `json:"enabled"`
	// TemporalRules makes the document a rule set: the IDs of its rules.
	TemporalRules []string `json:"temporal_rules"`
}

// gregorianUnix is the Unix epoch in Gregorian seconds.
const gregorianUnix = 62167219200

// maxGregorian is the first second of year 10000, in Gregorian seconds.
const maxGregorian = 315569520000

// defaultStartDate is temporal_rules' start_date default (Gregorian
// seconds).
const defaultStartDate = 62586115200

// weekdays maps Kazoo's weekday names to Go's.
var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "wensday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

// ordinals maps Kazoo's ordinals to the week of the month they pick (-1
// for the last, 0 for every).
var ordinals = map[string]int{"every": 0, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}

// ReadTemporalRules reads temporal rule and rule-set documents from JSON:
// one document, a list of them, or Crossbar's answer {"data": …} holding
// either. A document without ID, or with a cycle, weekday or ordinal Kazoo
// does not know, is an error naming it.
func ReadTemporalRules(data []byte) ([]TemporalRule, error) {
	var envelope struct {
		Data json.RawMessage `json:"data"`
	}
	if kzrt.Kind(data) == '{' && json.Unmarshal(data, &envelope) == nil && envelope.Data != nil {
		data = envelope.Data
	}
	var docs []json.RawMessage
	if kzrt.Kind(data) == '{' {
		docs = []json.RawMessage{data}
	} else if err := json.Unmarshal(data, &docs); err != nil {
		return nil, fmt.Errorf("temporal rules: want a document, a list of them or {\"data\": …}: %w", err)
	}
	rules := make([]TemporalRule, 0, len(docs))
	for i, doc := range docs {
		var r TemporalRule
		var stored struct {
			ID string `json:"_id"`
		}
		if err := json.Unmarshal(doc, &r); err != nil {
			return nil, fmt.Errorf("temporal rule %d: %w", i+1, err)
		}
		if r.ID == "" && json.Unmarshal(doc, &stored) == nil {
			r.ID = stored.ID
		}
		if err := r.check(); err != nil {
			return nil, fmt.Errorf("temporal rule %d (%q): %w", i+1, r.ID, err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// check reports what Kazoo would not understand in r.
func (r TemporalRule) check() error {
	if r.ID == "" {
		return errors.New("no id")
	}
	if r.TemporalRules != nil {
		return nil
	}
	if !slices.Contains([]string{"date", "daily", "weekly", "monthly", "yearly"}, r.Cycle) {
		return fmt.Errorf("cycle %q: want date, daily, weekly, monthly or yearly", r.Cycle)
	}
	for _, d := range r.WDays {
		if _, ok := weekdays[d]; !ok {
			return fmt.Errorf("wdays: %q is no weekday", d)
		}
	}
	if _, ok := ordinals[r.Ordinal]; r.Ordinal != "" && !ok {
		return fmt.Errorf("ordinal %q: want every, first, second, third, fourth, fifth or last", r.Ordinal)
	}
	if r.Interval < 0 {
		return fmt.Errorf("interval %d: must be at least 1", r.Interval)
	}
	if r.StartDate < 0 || r.StartDate > maxGregorian {
		return fmt.Errorf("start_date %d: want Gregorian seconds up to year 9999", r.StartDate)
	}
	return nil
}

// ActiveAt reports whether the rule is active at t, read in t's location:
// forced by Enabled, or t falls on a day the rule's cycle selects, on or
// after its start date, within its time window (both ends included, as
// in Kazoo). The days are those the rule's fields describe; Kazoo's own
// date arithmetic (cf_temporal_route's next_rule_date) is not reproduced
// step by step, and may differ in edge cases such as a weekly interval
// across a year's 53rd ISO week (unverified).
func (r TemporalRule) ActiveAt(t time.Time) bool {
	if r.Enabled != nil {
		return *r.Enabled
	}
	start, stop := int64(0), int64(86400)
	if r.TimeWindowStart != nil {
		start = *r.TimeWindowStart
	}
	if r.TimeWindowStop != nil {
		stop = *r.TimeWindowStop
	}
	secs := int64(t.Hour()*3600 + t.Minute()*60 + t.Second())
	return secs >= start && secs <= stop && r.occursOn(civil(t))
}

// civil is a calendar day, at midnight UTC so that day arithmetic is exact.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// occursOn reports whether the rule's cycle selects day.
func (r TemporalRule) occursOn(day time.Time) bool {
	startSecs := r.StartDate
	if startSecs == 0 {
		startSecs = defaultStartDate
	}
	start := civil(time.Unix(startSecs-gregorianUnix, 0).UTC())
	if day.Before(start) {
		return false
	}
	interval := max(r.Interval, 1)
	switch r.Cycle {
	case "date":
		return day.Equal(start)
	case "daily":
		return daysBetween(start, day)%int64(interval) == 0
	case "weekly":
		weeks := daysBetween(mondayOf(start), mondayOf(day)) / 7
		return weeks%int64(interval) == 0 && r.onWeekday(day)
	case "monthly":
		months := (day.Year()-start.Year())*12 + int(day.Month()-start.Month())
		return months%interval == 0 && r.onDayOfMonth(day)
	case "yearly":
		return (day.Year()-start.Year())%interval == 0 && int(day.Month()) == r.Month && r.onDayOfMonth(day)
	}
	return false
}

// daysBetween counts the days from a to b, both civil days.
func daysBetween(a, b time.Time) int64 { return (b.Unix() - a.Unix()) / 86400 }

// mondayOf returns the Monday that starts day's ISO week.
func mondayOf(day time.Time) time.Time {
	back := (int(day.Weekday()) + 6) % 7 // days since Monday
	return day.AddDate(0, 0, -back)
}

// onWeekday reports whether day is one of the rule's weekdays.
func (r TemporalRule) onWeekday(day time.Time) bool {
	return slices.ContainsFunc(r.WDays, func(d string) bool { return weekdays[d] == day.Weekday() })
}

// onDayOfMonth reports whether a monthly or yearly rule selects day within
// its month: one of Days, or the ordinal weekday (the first Monday, the
// last Friday…), or any of WDays with ordinal every.
func (r TemporalRule) onDayOfMonth(day time.Time) bool {
	n, hasOrdinal := ordinals[r.Ordinal]
	switch {
	case !hasOrdinal || r.Ordinal == "every" && len(r.WDays) == 0:
		return slices.Contains(r.Days, day.Day())
	case n == 0:
		return r.onWeekday(day)
	case !r.onWeekday(day):
		return false
	case n < 0:
		return day.AddDate(0, 0, 7).Month() != day.Month()
	}
	return (day.Day()-1)/7+1 == n
}

// route is one candidate of a temporal_route node: the child key Kazoo
// continues with when the rule is the active one.
type route struct {
	key  string
	rule TemporalRule
}

// temporalRoutes builds a node's routes in Kazoo's order: the IDs of
// data.rules, then every child key but "_" and "rule_set" (each loaded as
// a rule ID), then the rules of data.rule_set (key "rule_set"); a rule set
// among the first two stands for its rules, under its own ID. IDs without
// a document among rules are skipped, as Kazoo skips what it cannot load;
// they are returned as missing.
func temporalRoutes(n *kzrt.Node, d data, rules []TemporalRule) (routes []route, missing []string) {
	byID := map[string]TemporalRule{}
	for _, r := range rules {
		byID[r.ID] = r
	}
	add := func(key, id string, expand bool) {
		r, ok := byID[id]
		switch {
		case !ok:
			missing = append(missing, id)
		case r.TemporalRules == nil:
			routes = append(routes, route{key, r})
		case expand:
			for _, sub := range r.TemporalRules {
				if sr, ok := byID[sub]; ok && sr.TemporalRules == nil {
					routes = append(routes, route{key, sr})
				} else if !ok {
					missing = append(missing, sub)
				}
			}
		}
	}
	for _, id := range d.strs("rules") {
		add(id, id, true)
	}
	for _, key := range slices.Sorted(maps.Keys(n.Children)) {
		if key != kzrt.DefaultChild && key != "rule_set" {
			add(key, key, true)
		}
	}
	if set := d.str("rule_set"); set != "" {
		if r, ok := byID[set]; ok && r.TemporalRules != nil {
			for _, sub := range r.TemporalRules {
				add("rule_set", sub, false)
			}
		} else {
			missing = append(missing, set)
		}
	}
	return routes, missing
}

// temporalRoute is cf_temporal_route: the first route whose rule is active
// (forced by Config.Temporal, or evaluated at Config.At) gives the key
// Kazoo continues with, falling back to "_"; no active rule is "_".
func (w *walker) temporalRoute(n *kzrt.Node, d data, ev *Event) step {
	if a := d.str("action"); a != "" {
		ev.Text = fmt.Sprintf("manages temporal rules (action %s) instead of routing", a)
		return cont(n, kzrt.DefaultChild, ev)
	}
	ev.Text = "checks temporal rules"
	switch rules := d.strs("rules"); {
	case len(rules) > 0:
		ev.Text += " " + list(rules)
	case d.str("rule_set") != "":
		ev.Text += " of rule set " + d.str("rule_set")
	}
	switch choice := w.cfg.Temporal; choice {
	case "none":
		ev.note("no rule is active, as configured")
		return cont(n, kzrt.DefaultChild, ev)
	case "":
	default:
		ev.Text += fmt.Sprintf(" -> %q is active, as configured", choice)
		if !slices.Contains(d.strs("rules"), choice) && child(n, choice) == nil && !(choice == "rule_set" && d.has("rule_set")) {
			ev.note("the node names no rule %q (not in data.rules, no child key, not data.rule_set): Kazoo would never pick it", choice)
		}
		return cont(n, choice, ev)
	}

	loc, zone := time.UTC, d.str("timezone")
	if zone != "" {
		if l, err := time.LoadLocation(zone); err == nil {
			loc = l
		} else {
			ev.note("timezone %q is unknown here: kzgen uses UTC", zone)
		}
	} else {
		ev.note("no timezone on the node: Kazoo uses the account's; kzgen uses UTC")
	}
	at := w.cfg.At.In(loc)
	if w.cfg.AtWallClock {
		a := w.cfg.At
		at = time.Date(a.Year(), a.Month(), a.Day(), a.Hour(), a.Minute(), a.Second(), 0, loc)
	}
	ev.Text += " at " + at.Format("Mon 2006-01-02 15:04 MST")
	routes, missing := temporalRoutes(n, d, w.cfg.Rules)
	if len(missing) > 0 {
		ev.note("no document for %s (give them as -rules): Kazoo skips a rule it cannot load, and so does kzgen", list(missing))
	}
	for _, r := range routes {
		if r.rule.ActiveAt(at) {
			what := fmt.Sprintf("rule %s", r.rule.ID)
			if r.rule.Name != "" {
				what += fmt.Sprintf(" (%s)", r.rule.Name)
			}
			if r.rule.Enabled != nil {
				what += " is forced on (enabled true)"
			} else {
				what += " is active"
			}
			ev.Text += ": " + what
			return cont(n, r.key, ev)
		}
	}
	ev.Text += ": no rule is active"
	return cont(n, kzrt.DefaultChild, ev)
}

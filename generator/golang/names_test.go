package golang

import "testing"

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"caller_id_number":    "CallerIDNumber",
		"voice-url":           "VoiceURL",
		"callflows.tts":       "CallflowsTTS",
		"GET":                 "GET",
		"get":                 "Get",
		"db_page_size":        "DBPageSize",
		"store_amqp_resp":     "StoreAMQPResp",
		"time_between_db_ms":  "TimeBetweenDBMS",
		"html2pdf":            "HTML2pdf",
		"ipv4":                "Ipv4",
		"e164":                "E164",
		"1st-choice":          "1stChoice",
		"HTTPServer":          "HTTPServer",
		"*":                   "Star",
		"":                    "Empty",
		"privacy_mode_string": "PrivacyModeString",
		"cidlistmatch":        "CIDListMatch",
		"lookupcidname":       "LookupCIDName",
		"crm_url":             "CRMURL",
		"camping":             "Camping",
		"pins":                "PINs",
		"listmatch":           "Listmatch",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := identifier("1st-choice"); got != "N1stChoice" {
		t.Errorf("identifier: %q", got)
	}
}

func TestWrapKeepsTwoWordsOnALine(t *testing.T) {
	long := "DefaultSystemConfigNumberManagerAllowPortTransitionFromSubmittedToScheduled"
	got := wrap([]string{long + " is the default of something."}, 40)
	if want := long + " is\nthe default of something."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

package format

import "testing"

func TestRegistry(t *testing.T) {
	r := Registry[int]{"text": 1, "json": 2, "sarif": 3}
	if e, err := r.Get("json"); err != nil || e != 2 {
		t.Errorf("Get(json) = %d, %v", e, err)
	}
	_, err := r.Get("xml")
	if want := `unknown format "xml" (want json, sarif or text)`; err == nil || err.Error() != want {
		t.Errorf("Get(xml) error = %v, want %s", err, want)
	}
	if got := (Registry[int]{"text": 1}).List(); got != "text" {
		t.Errorf("List of one = %q", got)
	}
}

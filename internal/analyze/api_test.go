package analyze

import "testing"

func TestIsCallOf(t *testing.T) {
	tests := []struct {
		name       string
		proc, netw bool
	}{
		{"subprocess.run", true, false},
		{"subprocess.run().append", false, false},
		{"subprocess.Popen().communicate", true, false},
		{"requests.post", false, true},
		{"requests.post().split", false, false},
		{"requests.Session().get", false, true},
		{"socket.socket().connect", false, true},
		{"os.popen().read", false, false},
	}
	for _, tt := range tests {
		if got := isCallOf(tt.name, processAPIs); got != tt.proc {
			t.Errorf("%s: process %v, want %v", tt.name, got, tt.proc)
		}
		if got := isCallOf(tt.name, networkAPIs); got != tt.netw {
			t.Errorf("%s: network %v, want %v", tt.name, got, tt.netw)
		}
	}
}

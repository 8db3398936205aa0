package cli

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/golden"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"safeguard": func() { os.Exit(Main()) },
		"exitcode":  exitcodeMain,
	})
}

// exitcodeMain runs "exitcode WANT CMD ARGS...": it runs CMD, passes its
// output through, and fails unless CMD exits with status WANT.
func exitcodeMain() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: exitcode WANT CMD [ARGS...]")
		os.Exit(2)
	}
	want, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "exitcode: WANT must be a number")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err = cmd.Run()
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "exitcode:", err)
		os.Exit(2)
	}
	if got != want {
		fmt.Fprintf(os.Stderr, "exitcode: %s exited %d, want %d\n", os.Args[2], got, want)
		os.Exit(1)
	}
	os.Exit(0)
}

func TestScripts(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: golden.Update(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", examples)
			return nil
		},
		Cmds: mergeCmds(monitorCmds(t), map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"pack":         cmdPack,
			"zero-elapsed": cmdZeroElapsed,
			"simple-index": cmdSimpleIndex,
			"serve":        cmdServe,
			"fetch":        cmdFetch,
		}),
	})
}

// cmdPack implements "pack OUT DIR": it packs the files under DIR into OUT,
// a .zip/.whl (names relative to DIR, and a RECORD for a wheel) or a
// .tar.gz (names relative to DIR's parent, so that an sdist gets its
// "name-version/" top directory).
func cmdPack(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pack OUT DIR")
	}
	out, dir := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	base := filepath.Dir(dir)
	if ext := filepath.Ext(out); ext == ".whl" || ext == ".zip" {
		base = dir
	}
	type member struct {
		name string
		data []byte
	}
	var members []member
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(base, p)
		members = append(members, member{filepath.ToSlash(rel), data})
		return err
	})
	ts.Check(err)
	if filepath.Ext(out) == ".whl" {
		// A wheel gets the RECORD a build tool would write.
		var record, distInfo string
		for _, m := range members {
			sum := sha256.Sum256(m.data)
			record += fmt.Sprintf("%s,sha256=%s,%d\n", m.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(m.data))
			if d, _, ok := strings.Cut(m.name, "/"); ok && strings.HasSuffix(d, ".dist-info") {
				distInfo = d
			}
		}
		record += distInfo + "/RECORD,,\n"
		members = append(members, member{distInfo + "/RECORD", []byte(record)})
	}
	var buf bytes.Buffer
	switch filepath.Ext(out) {
	case ".whl", ".zip":
		zw := zip.NewWriter(&buf)
		for _, m := range members {
			w, err := zw.Create(m.name)
			ts.Check(err)
			w.Write(m.data)
		}
		ts.Check(zw.Close())
	default:
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		for _, m := range members {
			ts.Check(tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), Typeflag: tar.TypeReg}))
			tw.Write(m.data)
		}
		ts.Check(tw.Close())
		ts.Check(gz.Close())
	}
	ts.Check(os.MkdirAll(filepath.Dir(out), 0o755))
	ts.Check(os.WriteFile(out, buf.Bytes(), 0o644))
}

// cmdZeroElapsed implements "zero-elapsed stdout|stderr|FILE OUT": it
// writes the output, or the file, to OUT with every elapsed_ms set to 0,
// the one field of scan's JSON that differs run to run.
func cmdZeroElapsed(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: zero-elapsed stdout|stderr|FILE OUT")
	}
	text := ts.ReadFile(args[0])
	out := elapsed.ReplaceAllString(text, "${1}0")
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o644))
}

func mergeCmds(ms ...map[string]func(ts *testscript.TestScript, neg bool, args []string)) map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	out := map[string]func(ts *testscript.TestScript, neg bool, args []string){}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

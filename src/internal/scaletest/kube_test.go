package scaletest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

const repoRoot = "../../.."

// The image's entrypoint (scripts/imagetool) and serve's port.
var entrypoint = []string{"/eventgen", "serve", "--listen", "0.0.0.0:8090"}

const servePort = 8090

// manifests decodes every document of deploy/kubernetes strictly: a
// field k8s.io/api does not know fails the test.
type manifests struct {
	configMaps   map[string]*corev1.ConfigMap
	secrets      map[string]*corev1.Secret
	services     []*corev1.Service
	statefulSets []*appsv1.StatefulSet
	jobs         []*batchv1.Job
}

func loadManifests(t *testing.T) *manifests {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "deploy", "kubernetes", "*.yaml"))
	if err != nil || len(files) < 4 {
		t.Fatalf("manifests: %v %v", files, err)
	}
	m := &manifests{configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{}}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			where := fmt.Sprintf("%s document %d", filepath.Base(f), i+1)
			var tm metav1.TypeMeta
			if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			var obj any
			switch tm.APIVersion + " " + tm.Kind {
			case "v1 ConfigMap":
				o := &corev1.ConfigMap{}
				obj, m.configMaps[""] = o, o
			case "v1 Secret":
				o := &corev1.Secret{}
				obj, m.secrets[""] = o, o
			case "v1 Service":
				o := &corev1.Service{}
				obj, m.services = o, append(m.services, o)
			case "apps/v1 StatefulSet":
				o := &appsv1.StatefulSet{}
				obj, m.statefulSets = o, append(m.statefulSets, o)
			case "batch/v1 Job":
				o := &batchv1.Job{}
				obj, m.jobs = o, append(m.jobs, o)
			default:
				t.Fatalf("%s: unexpected %s %s", where, tm.APIVersion, tm.Kind)
			}
			if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			switch o := obj.(type) {
			case *corev1.ConfigMap:
				delete(m.configMaps, "")
				m.configMaps[o.Name] = o
			case *corev1.Secret:
				delete(m.secrets, "")
				m.secrets[o.Name] = o
			}
		}
	}
	if len(m.statefulSets) != 1 || len(m.jobs) != 1 || len(m.configMaps) != 1 || len(m.secrets) != 1 {
		t.Fatalf("want one StatefulSet, Job, ConfigMap and Secret; have %d, %d, %d, %d", len(m.statefulSets), len(m.jobs), len(m.configMaps), len(m.secrets))
	}
	return m
}

// Strict decoding catches a misspelt field.
func TestStrictDecodingRejectsUnknownFields(t *testing.T) {
	doc := "apiVersion: batch/v1\nkind: Job\nspec:\n  completionMode: Indexed\n  complections: 4\n"
	if err := yaml.UnmarshalStrict([]byte(doc), &batchv1.Job{}); err == nil || !strings.Contains(err.Error(), "complections") {
		t.Fatalf("a misspelt field decoded: %v", err)
	}
}

var eventgenBin string

// eventgen builds the CLI once.
func eventgen(t *testing.T) string {
	t.Helper()
	if eventgenBin != "" {
		return eventgenBin
	}
	bin := filepath.Join(os.TempDir(), fmt.Sprintf("eventgen-scaletest-%d", os.Getpid()))
	cmd := exec.Command("go", "build", "-o", bin, "./src/cmd/eventgen")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	eventgenBin = bin
	return bin
}

// flagsOf lists the flags a command accepts, from its -h text.
func flagsOf(t *testing.T, command string) map[string]bool {
	t.Helper()
	cmd := exec.Command(eventgen(t), command, "-h")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Run()
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -(\S+)`).FindAllStringSubmatch(errb.String(), -1) {
		flags[m[1]] = true
	}
	if len(flags) < 3 {
		t.Fatalf("eventgen %s -h lists no flags:\n%s", command, errb.String())
	}
	return flags
}

// checkArgs: every --flag in args is one the command has, every flag
// that takes a value has one, and the positional arguments are returned.
func checkArgs(t *testing.T, where, command string, args []string) (paths []string, values map[string]string) {
	t.Helper()
	flags := flagsOf(t, command)
	values = map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			paths = append(paths, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		if !flags[name] {
			t.Errorf("%s: eventgen %s has no flag %s", where, command, a)
			continue
		}
		if name == "v" {
			continue
		}
		if i+1 >= len(args) {
			t.Errorf("%s: %s has no value", where, a)
			continue
		}
		values[name] = args[i+1]
		i++
	}
	return paths, values
}

// checkShardEnv: EVENTGEN_SHARD is $(X)/N with N as given and X defined
// before it from the field that numbers the pods.
func checkShardEnv(t *testing.T, where string, env []corev1.EnvVar, n int, fieldPath string) {
	t.Helper()
	defined := map[string]string{}
	for _, e := range env {
		if e.Name == "EVENTGEN_SHARD" {
			m := regexp.MustCompile(`^\$\((\w+)\)/(\d+)$`).FindStringSubmatch(e.Value)
			if m == nil {
				t.Errorf("%s: EVENTGEN_SHARD=%q: want $(VAR)/N", where, e.Value)
				return
			}
			if got, _ := strconv.Atoi(m[2]); got != n {
				t.Errorf("%s: EVENTGEN_SHARD=%q: N is %d, want %d (the instances there are)", where, e.Value, got, n)
			}
			if defined[m[1]] != fieldPath {
				t.Errorf("%s: EVENTGEN_SHARD refers to $(%s), which is not defined before it from %s", where, m[1], fieldPath)
			}
			return
		}
		if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil {
			defined[e.Name] = e.ValueFrom.FieldRef.FieldPath
		}
	}
	t.Errorf("%s: no EVENTGEN_SHARD", where)
}

// checkSecretEnv: HEC_TOKEN comes from a key of the Secret, and the
// configuration refers to it.
func checkSecretEnv(t *testing.T, m *manifests, where string, env []corev1.EnvVar) {
	t.Helper()
	for _, e := range env {
		if e.Name != "HEC_TOKEN" {
			continue
		}
		if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			t.Errorf("%s: HEC_TOKEN must come from a Secret (secretKeyRef)", where)
			return
		}
		ref := e.ValueFrom.SecretKeyRef
		s := m.secrets[ref.Name]
		if s == nil {
			t.Errorf("%s: Secret %q is not in deploy/kubernetes", where, ref.Name)
			return
		}
		if _, ok := s.StringData[ref.Key]; !ok {
			t.Errorf("%s: Secret %q has no key %q", where, ref.Name, ref.Key)
		}
		return
	}
	t.Errorf("%s: no HEC_TOKEN", where)
}

// checkConfigMount: the ConfigMap is mounted where the args read it.
func checkConfigMount(t *testing.T, m *manifests, where string, spec corev1.PodSpec, paths []string) string {
	t.Helper()
	c := spec.Containers[0]
	var mountPath, cmName string
	for _, vm := range c.VolumeMounts {
		for _, v := range spec.Volumes {
			if v.Name == vm.Name && v.ConfigMap != nil {
				mountPath, cmName = vm.MountPath, v.ConfigMap.Name
			}
		}
	}
	if m.configMaps[cmName] == nil {
		t.Fatalf("%s: no ConfigMap volume from deploy/kubernetes mounted", where)
	}
	if !slices.ContainsFunc(paths, func(p string) bool { return p == mountPath || strings.HasPrefix(p, mountPath+"/") }) {
		t.Errorf("%s: the ConfigMap is mounted at %s, which no argument reads (%q)", where, mountPath, paths)
	}
	for _, p := range paths {
		if strings.HasPrefix(p, mountPath+"/") {
			if _, ok := m.configMaps[cmName].Data[strings.TrimPrefix(p, mountPath+"/")]; !ok {
				t.Errorf("%s: %s is not a key of ConfigMap %s", where, p, cmName)
			}
		}
	}
	return mountPath
}

func TestStatefulSet(t *testing.T) {
	m := loadManifests(t)
	ss := m.statefulSets[0]
	where := "StatefulSet " + ss.Name
	spec := ss.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("%s: want one container", where)
	}
	c := spec.Containers[0]
	if len(c.Command) != 0 {
		t.Errorf("%s: command %q: the image's entrypoint (%q) is eventgen serve; set args only", where, c.Command, entrypoint)
	}
	paths, values := checkArgs(t, where, "serve", append(slices.Clone(entrypoint[2:]), c.Args...))
	if values["listen"] != "0.0.0.0:8090" {
		t.Errorf("%s: --listen %q", where, values["listen"])
	}
	if ss.Spec.Replicas == nil {
		t.Fatalf("%s: no replicas", where)
	}
	checkShardEnv(t, where, c.Env, int(*ss.Spec.Replicas), "metadata.labels['apps.kubernetes.io/pod-index']")
	checkSecretEnv(t, m, where, c.Env)
	checkConfigMount(t, m, where, spec, paths)
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != servePort {
		t.Errorf("%s: ports %+v, want %d (serve's --listen in the image)", where, c.Ports, servePort)
	}
	for name, p := range map[string]*corev1.Probe{"/healthz": c.LivenessProbe, "/readyz": c.ReadinessProbe} {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != name || (p.HTTPGet.Port.StrVal != c.Ports[0].Name && int(p.HTTPGet.Port.IntVal) != servePort) {
			t.Errorf("%s: the probe of %s is %+v", where, name, p)
		}
	}
	if spec.TerminationGracePeriodSeconds == nil || *spec.TerminationGracePeriodSeconds <= 10 {
		t.Errorf("%s: terminationGracePeriodSeconds must exceed serve's --drain (10 s)", where)
	}
	if spec.SecurityContext == nil || spec.SecurityContext.RunAsNonRoot == nil || !*spec.SecurityContext.RunAsNonRoot {
		t.Errorf("%s: runAsNonRoot is not set", where)
	}
	found := false
	for _, s := range m.services {
		if s.Name == ss.Spec.ServiceName {
			found = true
			for k, v := range s.Spec.Selector {
				if ss.Spec.Template.Labels[k] != v {
					t.Errorf("Service %s selects %s=%s, which the pods lack", s.Name, k, v)
				}
			}
			if len(s.Spec.Ports) != 1 || s.Spec.Ports[0].Port != servePort {
				t.Errorf("Service %s: ports %+v", s.Name, s.Spec.Ports)
			}
		}
	}
	if !found {
		t.Errorf("%s: serviceName %q is not a Service in deploy/kubernetes", where, ss.Spec.ServiceName)
	}
}

func TestIndexedJob(t *testing.T) {
	m := loadManifests(t)
	j := m.jobs[0]
	where := "Job " + j.Name
	if j.Spec.CompletionMode == nil || *j.Spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("%s: not an Indexed Job", where)
	}
	if j.Spec.Completions == nil {
		t.Fatalf("%s: no completions", where)
	}
	spec := j.Spec.Template.Spec
	c := spec.Containers[0]
	if !slices.Equal(c.Command, entrypoint[:1]) || len(c.Args) == 0 || c.Args[0] != "generate" {
		t.Errorf("%s: command %q args %q: want %q with generate", where, c.Command, c.Args, entrypoint[:1])
	}
	paths, values := checkArgs(t, where, "generate", c.Args[1:])
	if values["end"] == "" || values["now"] == "" {
		t.Errorf("%s: a fixed amount needs --end and --now: %q", where, c.Args)
	}
	checkShardEnv(t, where, c.Env, int(*j.Spec.Completions), "metadata.annotations['batch.kubernetes.io/job-completion-index']")
	checkSecretEnv(t, m, where, c.Env)
	checkConfigMount(t, m, where, spec, paths)
	if spec.RestartPolicy != corev1.RestartPolicyNever && spec.RestartPolicy != corev1.RestartPolicyOnFailure {
		t.Errorf("%s: restartPolicy %q", where, spec.RestartPolicy)
	}
}

// The ConfigMap's configuration, layered on the image's samples as the
// manifests' args layer it, validates (with HEC_TOKEN set, as the Secret
// sets it), and the token does not show in what eventgen prints.
func TestConfigMapValidates(t *testing.T) {
	m := loadManifests(t)
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "samples"), os.DirFS(filepath.Join(repoRoot, "samples"))); err != nil {
		t.Fatal(err)
	}
	for _, cm := range m.configMaps {
		os.MkdirAll(filepath.Join(root, "etc", "eventgen"), 0o755)
		for k, v := range cm.Data {
			os.WriteFile(filepath.Join(root, "etc", "eventgen", k), []byte(v), 0o644)
		}
	}
	const secret = "5ec4e7-70ken-never-logged"
	for _, tc := range []struct {
		where   string
		command string
		args    []string
	}{
		{"StatefulSet", "serve", m.statefulSets[0].Spec.Template.Spec.Containers[0].Args},
		{"Job", "generate", m.jobs[0].Spec.Template.Spec.Containers[0].Args[1:]},
	} {
		paths, values := checkArgs(t, tc.where, tc.command, tc.args)
		args := []string{"validate", "--strict"}
		if d := values["sample-dir"]; d != "" {
			args = append(args, "--sample-dir", filepath.Join(root, d))
		}
		if s := values["stanza"]; s != "" {
			args = append(args, "--stanza", s)
		}
		for _, p := range paths {
			args = append(args, filepath.Join(root, p))
		}
		cmd := exec.CommandContext(context.Background(), eventgen(t), args...)
		cmd.Env = append(os.Environ(), "HEC_TOKEN="+secret)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: eventgen %q: %v\n%s", tc.where, args, err, out)
		}
		if !strings.Contains(string(out), "output httpevent") {
			t.Errorf("%s: the stanzas do not send to HEC:\n%s", tc.where, out)
		}
		if strings.Contains(string(out), secret) {
			t.Errorf("%s: the HEC token shows in the output:\n%s", tc.where, out)
		}
	}
}

// scripts/scale-sim.sh: N processes on a simulated day add up exactly
// to one (small volumes here; docs/scaling.md shows the default run).
func TestScaleSim(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	cmd := exec.Command("bash", "scripts/scale-sim.sh", "1", "3", "5")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "EVENTGEN_BIN="+eventgen(t), "SIM_GIB=0.01", "SIM_SORT_GIB=0.005")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
		t.Skipf("%s", out) // this build has no --shard yet (issue 15, item 1)
	}
	if err != nil {
		t.Fatalf("scale-sim.sh: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), " exact"); n != 6 {
		t.Errorf("want 6 exact lines, have %d:\n%s", n, out)
	}
}

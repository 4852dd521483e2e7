// Package deploy_test checks the deployment files for what matters in
// production: the image, the probes, where the tokens come from, the
// security settings, the schedules and commands of the jobs, and the
// hardening of the systemd units. It parses the files as Kubernetes and
// systemd would read them; "kubectl kustomize deploy/k8s" (in CI when
// kubectl is installed) checks that kustomize builds them.
package deploy_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

const (
	image      = "ghcr.io/pcmhosting/mailsetup"
	secretName = "mailsetup-slack"
	opsPort    = 9090
	configName = "mailsetup-config"
	stateClaim = "mailsetup-state"
	// databaseSecret holds the PostgreSQL URL of the history.
	databaseSecret = "mailsetup-database"
	nonrootUser    = 65532
)

// The few Kubernetes shapes the tests read; sigs.k8s.io/yaml maps YAML
// to these through their JSON names, as the API server does.
type (
	object struct {
		APIVersion string `json:"apiVersion"`
		Kind       string
		Metadata   struct {
			Name      string
			Namespace string
			Labels    map[string]string
		}
		Spec tree `json:"spec"`
		Data map[string]string
		file string
	}
	tree = map[string]any

	podSpec struct {
		AutomountServiceAccountToken *bool `json:"automountServiceAccountToken"`
		RestartPolicy                string
		SecurityContext              struct {
			RunAsNonRoot   *bool `json:"runAsNonRoot"`
			RunAsUser      int64 `json:"runAsUser"`
			SeccompProfile struct{ Type string }
		} `json:"securityContext"`
		Containers []container
		Volumes    []struct {
			Name      string
			ConfigMap *struct{ Name string } `json:"configMap"`
			PVC       *struct {
				ClaimName string `json:"claimName"`
			} `json:"persistentVolumeClaim"`
			EmptyDir any `json:"emptyDir"`
		}
	}
	container struct {
		Name    string
		Image   string
		Args    []string
		Command []string
		Ports   []struct {
			Name          string
			ContainerPort int `json:"containerPort"`
		}
		Env []struct {
			Name      string
			Value     string
			ValueFrom *struct {
				SecretKeyRef    *struct{ Name, Key string } `json:"secretKeyRef"`
				ConfigMapKeyRef *struct{ Name, Key string } `json:"configMapKeyRef"`
				FieldRef        *struct {
					FieldPath string `json:"fieldPath"`
				} `json:"fieldRef"`
			} `json:"valueFrom"`
		}
		EnvFrom        []envFrom `json:"envFrom"`
		LivenessProbe  *probe    `json:"livenessProbe"`
		ReadinessProbe *probe    `json:"readinessProbe"`
		Resources      struct {
			Requests map[string]string
			Limits   map[string]string
		}
		SecurityContext struct {
			RunAsNonRoot             *bool `json:"runAsNonRoot"`
			ReadOnlyRootFilesystem   *bool `json:"readOnlyRootFilesystem"`
			AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation"`
			Privileged               *bool
			Capabilities             struct{ Drop, Add []string }
		} `json:"securityContext"`
		VolumeMounts []struct {
			Name      string
			MountPath string `json:"mountPath"`
			ReadOnly  bool   `json:"readOnly"`
		} `json:"volumeMounts"`
	}
	envFrom struct {
		ConfigMapRef *struct{ Name string } `json:"configMapRef"`
		SecretRef    *struct{ Name string } `json:"secretRef"`
	}
	probe struct {
		HTTPGet *struct {
			Path string
			Port any
		} `json:"httpGet"`
	}
)

// load reads every document of every YAML file kustomization.yaml lists.
func load(t *testing.T) (kustomization tree, objs []object) {
	t.Helper()
	dir := "k8s"
	b, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &kustomization); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	for _, r := range kustomization["resources"].([]any) {
		f := r.(string)
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("resource %s: %v", f, err)
		}
		for i, doc := range splitYAML(b) {
			var o object
			// Strict: a key given twice is an error, as kubectl makes it.
			if err := yaml.UnmarshalStrict(doc, &tree{}); err != nil {
				t.Fatalf("%s document %d: %v", f, i, err)
			}
			if err := yaml.Unmarshal(doc, &o); err != nil {
				t.Fatalf("%s document %d: %v", f, i, err)
			}
			if o.Kind == "" {
				continue
			}
			o.file = f
			objs = append(objs, o)
		}
	}
	return kustomization, objs
}

// splitYAML splits a multi-document stream at its "---" lines.
func splitYAML(b []byte) [][]byte {
	var docs [][]byte
	for _, d := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(b), -1) {
		if strings.TrimSpace(d) != "" {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

func find(t *testing.T, objs []object, kind, name string) object {
	t.Helper()
	for _, o := range objs {
		if o.Kind == kind && o.Metadata.Name == name {
			return o
		}
	}
	t.Fatalf("no %s %s", kind, name)
	return object{}
}

// at decodes the part of spec at path ("template.spec") into v.
func at(t *testing.T, spec tree, path string, v any) {
	t.Helper()
	var cur any = spec
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(tree)
		if !ok {
			t.Fatalf("%s: no %s", path, k)
		}
		cur = m[k]
	}
	b, err := yaml.Marshal(cur)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// workloads returns every pod template: the Deployment's and the
// CronJobs'.
func workloads(t *testing.T, objs []object) map[string]podSpec {
	out := map[string]podSpec{}
	for _, o := range objs {
		var ps podSpec
		switch o.Kind {
		case "Deployment":
			at(t, o.Spec, "template.spec", &ps)
		case "CronJob":
			at(t, o.Spec, "jobTemplate.spec.template.spec", &ps)
		case "Job":
			at(t, o.Spec, "template.spec", &ps)
		default:
			continue
		}
		out[o.Kind+"/"+o.Metadata.Name] = ps
	}
	return out
}

func isTrue(b *bool) bool  { return b != nil && *b }
func isFalse(b *bool) bool { return b != nil && !*b }

func TestKustomization(t *testing.T) {
	k, objs := load(t)
	if k["namespace"] != "mailsetup" {
		t.Errorf("namespace %v", k["namespace"])
	}
	for _, o := range objs {
		if o.Kind == "Secret" {
			t.Errorf("%s: a Secret is applied; tokens must come from one created out of band", o.file)
		}
	}
	imgs := k["images"].([]any)
	img := imgs[0].(tree)
	if img["name"] != image || img["newTag"] == "" || img["newTag"] == "latest" {
		t.Errorf("images: %v: want %s with a fixed tag", imgs, image)
	}
	// The example Secret exists, is not listed, and names the keys used.
	b, err := os.ReadFile(filepath.Join("k8s", "secret.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var sec struct {
		Kind       string
		Metadata   struct{ Name string }
		StringData map[string]string `json:"stringData"`
	}
	if err := yaml.Unmarshal(b, &sec); err != nil {
		t.Fatal(err)
	}
	if sec.Kind != "Secret" || sec.Metadata.Name != secretName || sec.StringData["app-token"] == "" || sec.StringData["bot-token"] == "" {
		t.Errorf("secret.example.yaml: %+v", sec)
	}
	for _, r := range k["resources"].([]any) {
		if strings.Contains(r.(string), "secret") {
			t.Errorf("kustomization applies %s", r)
		}
	}
}

// TestPodSecurity: every pod runs as the image's nonroot user with the
// "restricted" Pod Security Standard's settings, the pinned image, no
// service account token, and resources set.
func TestPodSecurity(t *testing.T) {
	_, objs := load(t)
	pods := workloads(t, objs)
	if len(pods) != 3 {
		t.Errorf("%d workloads, want the Deployment and two CronJobs: %v", len(pods), pods)
	}
	for name, ps := range pods {
		t.Run(name, func(t *testing.T) {
			if !isFalse(ps.AutomountServiceAccountToken) {
				t.Error("automountServiceAccountToken is not false")
			}
			sc := ps.SecurityContext
			if !isTrue(sc.RunAsNonRoot) || sc.RunAsUser != nonrootUser || sc.SeccompProfile.Type != "RuntimeDefault" {
				t.Errorf("pod securityContext %+v", sc)
			}
			if len(ps.Containers) != 1 {
				t.Fatalf("%d containers", len(ps.Containers))
			}
			c := ps.Containers[0]
			if !strings.HasPrefix(c.Image, image+":") || strings.HasSuffix(c.Image, ":latest") {
				t.Errorf("image %q", c.Image)
			}
			if len(c.Command) > 0 {
				t.Errorf("command %q overrides the image's entrypoint", c.Command)
			}
			csc := c.SecurityContext
			if !isTrue(csc.RunAsNonRoot) || !isTrue(csc.ReadOnlyRootFilesystem) || !isFalse(csc.AllowPrivilegeEscalation) || isTrue(csc.Privileged) {
				t.Errorf("container securityContext %+v", csc)
			}
			if !cmp.Equal(csc.Capabilities.Drop, []string{"ALL"}) || len(csc.Capabilities.Add) > 0 {
				t.Errorf("capabilities %+v, want drop [ALL]", csc.Capabilities)
			}
			for _, r := range []string{"cpu", "memory"} {
				if c.Resources.Requests[r] == "" || c.Resources.Limits[r] == "" {
					t.Errorf("%s: requests %v, limits %v", r, c.Resources.Requests, c.Resources.Limits)
				}
			}
			for _, e := range c.EnvFrom {
				if e.SecretRef != nil {
					t.Errorf("envFrom a whole Secret (%s): take the keys needed", e.SecretRef.Name)
				}
			}
			for _, e := range c.Env {
				if strings.HasPrefix(e.Name, "SLACK_") && strings.HasSuffix(e.Name, "_TOKEN") {
					if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil || e.ValueFrom.SecretKeyRef.Name != secretName {
						t.Errorf("%s does not come from the Secret %s", e.Name, secretName)
					}
				}
			}
			if strings.Contains(name, "CronJob") && ps.RestartPolicy != "Never" {
				t.Errorf("restartPolicy %q, want Never: a Job's failure is the next run's business", ps.RestartPolicy)
			}
		})
	}
}

// secretEnv maps the env variables taken from the Secret to their keys.
func secretEnv(c container) map[string]string {
	out := map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			out[e.Name] = e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
		}
	}
	return out
}

func TestBotDeployment(t *testing.T) {
	_, objs := load(t)
	d := find(t, objs, "Deployment", "mailsetup")
	var spec struct {
		Replicas int
		Selector struct {
			MatchLabels map[string]string `json:"matchLabels"`
		}
		Strategy struct {
			RollingUpdate struct {
				MaxUnavailable any `json:"maxUnavailable"`
			} `json:"rollingUpdate"`
		}
		Template struct {
			Metadata struct{ Labels map[string]string }
			Spec     struct {
				TerminationGracePeriodSeconds int `json:"terminationGracePeriodSeconds"`
			}
		}
	}
	at(t, tree{"s": d.Spec}, "s", &spec)
	if spec.Replicas != 2 {
		t.Errorf("replicas %d, want 2", spec.Replicas)
	}
	if fmt.Sprint(spec.Strategy.RollingUpdate.MaxUnavailable) != "0" {
		t.Errorf("maxUnavailable %v, want 0", spec.Strategy.RollingUpdate.MaxUnavailable)
	}
	if spec.Template.Spec.TerminationGracePeriodSeconds <= 30 {
		t.Errorf("terminationGracePeriodSeconds %d: the bot finishes checks for up to 30 s", spec.Template.Spec.TerminationGracePeriodSeconds)
	}
	for k, v := range spec.Selector.MatchLabels {
		if spec.Template.Metadata.Labels[k] != v {
			t.Errorf("selector %s=%s does not match the pods", k, v)
		}
	}
	c := workloads(t, objs)["Deployment/mailsetup"].Containers[0]
	if !cmp.Equal(c.Args, []string{"serve", "--listen", fmt.Sprintf(":%d", opsPort)}) {
		t.Errorf("args %q", c.Args)
	}
	want := map[string]string{"SLACK_APP_TOKEN": secretName + "/app-token", "SLACK_BOT_TOKEN": secretName + "/bot-token",
		"MAILSETUP_DATABASE_URL": databaseSecret + "/url"}
	if diff := cmp.Diff(want, secretEnv(c)); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	ports := map[string]int{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	for name, pr := range map[string]*probe{"/healthz": c.LivenessProbe, "/readyz": c.ReadinessProbe} {
		if pr == nil || pr.HTTPGet == nil || pr.HTTPGet.Path != name {
			t.Errorf("probe %s: %+v", name, pr)
			continue
		}
		port := pr.HTTPGet.Port
		if s, ok := port.(string); ok {
			port = ports[s]
		}
		if fmt.Sprint(port) != strconv.Itoa(opsPort) {
			t.Errorf("probe %s on port %v, want %d", name, pr.HTTPGet.Port, opsPort)
		}
	}
	if !slices.ContainsFunc(c.EnvFrom, func(e envFrom) bool {
		return e.ConfigMapRef != nil && e.ConfigMapRef.Name == configName
	}) {
		t.Errorf("settings not taken from the ConfigMap %s", configName)
	}

	pdb := find(t, objs, "PodDisruptionBudget", "mailsetup")
	var pspec struct {
		MinAvailable int `json:"minAvailable"`
		Selector     struct {
			MatchLabels map[string]string `json:"matchLabels"`
		}
	}
	at(t, tree{"s": pdb.Spec}, "s", &pspec)
	if pspec.MinAvailable != 1 || !cmp.Equal(pspec.Selector.MatchLabels, spec.Selector.MatchLabels) {
		t.Errorf("PodDisruptionBudget %+v", pspec)
	}
	svc := find(t, objs, "Service", "mailsetup-metrics")
	var sspec struct {
		Selector map[string]string
		Ports    []struct {
			Port       int
			TargetPort any `json:"targetPort"`
		}
	}
	at(t, tree{"s": svc.Spec}, "s", &sspec)
	if !cmp.Equal(sspec.Selector, spec.Selector.MatchLabels) || len(sspec.Ports) != 1 || sspec.Ports[0].Port != opsPort {
		t.Errorf("Service %+v", sspec)
	}
}

// cronJob reads a CronJob's schedule, policy, job spec and container.
type cronSpec struct {
	Schedule          string
	ConcurrencyPolicy string `json:"concurrencyPolicy"`
	JobTemplate       struct {
		Spec struct {
			CompletionMode string `json:"completionMode"`
			Completions    int
			Parallelism    int
			BackoffLimit   *int `json:"backoffLimit"`
		}
	} `json:"jobTemplate"`
}

func TestPlatformCronJob(t *testing.T) {
	_, objs := load(t)
	cj := find(t, objs, "CronJob", "mailsetup-platform")
	var spec cronSpec
	at(t, tree{"s": cj.Spec}, "s", &spec)
	if spec.Schedule != "*/5 * * * *" || spec.ConcurrencyPolicy != "Forbid" {
		t.Errorf("schedule %q, concurrencyPolicy %q; want every 5 minutes, Forbid (one writer of the state)", spec.Schedule, spec.ConcurrencyPolicy)
	}
	if b := spec.JobTemplate.Spec.BackoffLimit; b == nil || *b != 0 {
		t.Errorf("backoffLimit %v, want 0: a retry would post twice", b)
	}
	ps := workloads(t, objs)["CronJob/mailsetup-platform"]
	c := ps.Containers[0]
	want := []string{"check", "--file", "/config/fleet.txt", "--format", "json", "--notify", "$(ONCALL_CHANNEL)",
		"--notify-on", "change", "--previous", "/state/previous.jsonl", "--exit-zero"}
	if diff := cmp.Diff(want, c.Args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"SLACK_BOT_TOKEN": secretName + "/bot-token", "MAILSETUP_DATABASE_URL": databaseSecret + "/url"}, secretEnv(c)); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	// $(ONCALL_CHANNEL) expands from an env variable of the container.
	found := false
	for _, e := range c.Env {
		if e.Name == "ONCALL_CHANNEL" && e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil && e.ValueFrom.ConfigMapKeyRef.Name == configName {
			found = true
		}
	}
	if !found {
		t.Error("ONCALL_CHANNEL is not an env variable from the ConfigMap")
	}
	// /config holds fleet.txt from the ConfigMap; /state is the claim.
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.MountPath] = m.Name
	}
	vols := map[string]string{}
	for _, v := range ps.Volumes {
		switch {
		case v.ConfigMap != nil:
			vols[v.Name] = "configmap/" + v.ConfigMap.Name
		case v.PVC != nil:
			vols[v.Name] = "pvc/" + v.PVC.ClaimName
		default:
			vols[v.Name] = "other"
		}
	}
	if vols[mounts["/config"]] != "configmap/"+configName || vols[mounts["/state"]] != "pvc/"+stateClaim {
		t.Errorf("mounts %v, volumes %v", mounts, vols)
	}
	find(t, objs, "PersistentVolumeClaim", stateClaim)
	cm := find(t, objs, "ConfigMap", configName)
	if strings.TrimSpace(cm.Data["fleet.txt"]) == "" || cm.Data["ONCALL_CHANNEL"] == "" {
		t.Errorf("ConfigMap %s lacks fleet.txt or ONCALL_CHANNEL", configName)
	}
	for k := range cm.Data {
		if strings.Contains(strings.ToUpper(k), "TOKEN") {
			t.Errorf("ConfigMap holds %s: tokens belong in the Secret", k)
		}
	}
}

func TestNightlyIndexedJob(t *testing.T) {
	_, objs := load(t)
	cj := find(t, objs, "CronJob", "mailsetup-nightly")
	var spec cronSpec
	at(t, tree{"s": cj.Spec}, "s", &spec)
	js := spec.JobTemplate.Spec
	if js.CompletionMode != "Indexed" || js.Completions < 2 || js.Parallelism < 1 || js.Parallelism > js.Completions {
		t.Errorf("job spec %+v: want Indexed, N completions, parallelism ≤ N", js)
	}
	c := workloads(t, objs)["CronJob/mailsetup-nightly"].Containers[0]
	i := slices.Index(c.Args, "--shard")
	if i < 0 || i+1 >= len(c.Args) || c.Args[i+1] != fmt.Sprintf("$(JOB_COMPLETION_INDEX)/%d", js.Completions) {
		t.Errorf("args %q: want --shard $(JOB_COMPLETION_INDEX)/%d, N equal to completions", c.Args, js.Completions)
	}
	if c.Args[0] != "check" || !slices.Contains(c.Args, "--file") || !slices.Contains(c.Args, "--exit-zero") {
		t.Errorf("args %q", c.Args)
	}
	// No Slack token; the database's URL, to record every check.
	if diff := cmp.Diff(map[string]string{"MAILSETUP_DATABASE_URL": databaseSecret + "/url"}, secretEnv(c)); diff != "" {
		t.Errorf("the nightly check's secrets (-want +got):\n%s", diff)
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		"FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build",
		"ARG GO_VERSION=1.26",
		"CGO_ENABLED=0",
		"-trimpath",
		`-ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}"`,
		"FROM gcr.io/distroless/static-debian12:nonroot",
		"USER nonroot:nonroot",
		`ENTRYPOINT ["/usr/local/bin/mailsetup"]`,
		// A HEALTHCHECK that works without a shell: exec form, the binary's
		// own "health" subcommand, on the port serve listens on.
		"ENV MAILSETUP_LISTEN=:9090",
		"HEALTHCHECK --interval=",
		`CMD ["/usr/local/bin/mailsetup", "health"]`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	ignore, err := os.ReadFile(filepath.Join("..", ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(ignore))
	for _, want := range []string{".git", "/mailsetup"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
	for _, needed := range []string{"go.mod", "go.sum", "cmd", "checks", "messages", "bot", "telemetry"} {
		if slices.Contains(lines, needed) || slices.Contains(lines, "/"+needed) {
			t.Errorf(".dockerignore excludes %s, which the build needs", needed)
		}
	}
}

// unit reads a systemd unit file: section → key → values (a key may
// repeat).
func unit(t *testing.T, name string) map[string]map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("systemd", name))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string][]string{}
	section := ""
	for n, line := range bytes.Split(b, []byte("\n")) {
		l := strings.TrimSpace(string(line))
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			section = l[1 : len(l)-1]
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: %q is not KEY=VALUE in a section", name, n+1, l)
			}
			out[section][k] = append(out[section][k], v)
		}
	}
	return out
}

func TestSystemdUnits(t *testing.T) {
	hardening := map[string]string{
		"DynamicUser":             "yes",
		"NoNewPrivileges":         "yes",
		"ProtectSystem":           "strict",
		"ProtectHome":             "yes",
		"PrivateTmp":              "yes",
		"PrivateDevices":          "yes",
		"ProtectKernelTunables":   "yes",
		"ProtectKernelModules":    "yes",
		"ProtectKernelLogs":       "yes",
		"ProtectControlGroups":    "yes",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"CapabilityBoundingSet":   "",
		"EnvironmentFile":         "/etc/mailsetup/env",
		"MemoryDenyWriteExecute":  "yes",
	}
	for _, name := range []string{"mailsetup.service", "mailsetup-platform.service"} {
		t.Run(name, func(t *testing.T) {
			u := unit(t, name)
			svc := u["Service"]
			for k, want := range hardening {
				if got := svc[k]; len(got) != 1 || got[0] != want {
					t.Errorf("%s=%q, want %q", k, got, want)
				}
			}
			if !slices.Contains(svc["SystemCallFilter"], "@system-service") {
				t.Errorf("SystemCallFilter=%q, want @system-service", svc["SystemCallFilter"])
			}
			if len(svc["MemoryMax"]) != 1 {
				t.Error("no MemoryMax")
			}
			if !strings.HasPrefix(svc["ExecStart"][0], "/usr/local/bin/mailsetup ") {
				t.Errorf("ExecStart=%q", svc["ExecStart"])
			}
			if !slices.Contains(u["Unit"]["After"], "network-online.target") {
				t.Error("not After=network-online.target")
			}
		})
	}
	bot := unit(t, "mailsetup.service")["Service"]
	if bot["ExecStart"][0] != "/usr/local/bin/mailsetup serve" || bot["Restart"][0] != "on-failure" {
		t.Errorf("bot: ExecStart=%q Restart=%q", bot["ExecStart"], bot["Restart"])
	}
	if s := unit(t, "mailsetup-platform.service")["Service"]; s["StateDirectory"][0] != "mailsetup" ||
		!strings.Contains(s["ExecStart"][0], "--previous /var/lib/mailsetup/previous.jsonl") {
		t.Errorf("platform: the state is not in its StateDirectory: %q", s["ExecStart"])
	}
	// Both units keep the history in the one StateDirectory, as the same
	// dynamic user.
	for _, name := range []string{"mailsetup.service", "mailsetup-platform.service"} {
		s := unit(t, name)["Service"]
		if !slices.Contains(s["Environment"], "MAILSETUP_STATE=/var/lib/mailsetup/state.db") || s["StateDirectory"][0] != "mailsetup" || s["User"][0] != "mailsetup" {
			t.Errorf("%s: Environment=%q StateDirectory=%q User=%q; want the history in /var/lib/mailsetup as user mailsetup", name, s["Environment"], s["StateDirectory"], s["User"])
		}
	}
	if timer := unit(t, "mailsetup-platform.timer")["Timer"]; timer["OnCalendar"][0] != "*:0/5" {
		t.Errorf("timer OnCalendar=%q, want every 5 minutes", timer["OnCalendar"])
	}
	// The example environment names every variable, with no real token.
	env, err := os.ReadFile(filepath.Join("systemd", "env.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SLACK_APP_TOKEN=xapp-REPLACE-ME", "SLACK_BOT_TOKEN=xoxb-REPLACE-ME", "ONCALL_CHANNEL="} {
		if !bytes.Contains(env, []byte(want)) {
			t.Errorf("env.example lacks %s", want)
		}
	}
	// The shared file holds nothing that belongs to one unit: the bot's
	// port would make every one-shot check fail to bind it, and one
	// GOMEMLIMIT cannot sit below both units' MemoryMax.
	for _, line := range strings.Split(string(env), "\n") {
		for _, own := range []string{"MAILSETUP_LISTEN=", "GOMEMLIMIT="} {
			if strings.HasPrefix(strings.TrimSpace(line), own) {
				t.Errorf("env.example sets %s, which belongs to one unit", own)
			}
		}
	}
}

// TestSystemdUnitsDoNoHarm: the one-shot platform check binds no port
// (the bot's is taken while it runs), each unit's GOMEMLIMIT is below its
// MemoryMax, and a settings error (exit 2) does not restart forever.
func TestSystemdUnitsDoNoHarm(t *testing.T) {
	for _, name := range []string{"mailsetup.service", "mailsetup-platform.service"} {
		svc := unit(t, name)["Service"]
		var limit string
		for _, e := range svc["Environment"] {
			if v, ok := strings.CutPrefix(e, "GOMEMLIMIT="); ok {
				limit = v
			}
		}
		soft, err := unitBytes(strings.TrimSuffix(limit, "B"))
		if err != nil {
			t.Errorf("%s: GOMEMLIMIT=%q: %v", name, limit, err)
			continue
		}
		hard, err := unitBytes(svc["MemoryMax"][0])
		if err != nil {
			t.Errorf("%s: MemoryMax=%q: %v", name, svc["MemoryMax"], err)
			continue
		}
		if soft >= hard {
			t.Errorf("%s: GOMEMLIMIT=%s is not below MemoryMax=%s", name, limit, svc["MemoryMax"][0])
		}
	}
	bot := unit(t, "mailsetup.service")["Service"]
	if !slices.Contains(bot["RestartPreventExitStatus"], "2") {
		t.Errorf("bot: RestartPreventExitStatus=%q, want 2 (a bad token must not restart forever)", bot["RestartPreventExitStatus"])
	}
	if !slices.Contains(bot["Environment"], "MAILSETUP_LISTEN=127.0.0.1:9090") {
		t.Errorf("bot: Environment=%q, want its operations port", bot["Environment"])
	}
	platform := unit(t, "mailsetup-platform.service")["Service"]
	if !slices.Contains(strings.Fields(platform["ExecStart"][0]), "--listen=") {
		t.Errorf("platform: ExecStart=%q does not turn the operations port off (--listen=)", platform["ExecStart"])
	}
}

// unitBytes reads a systemd or Go memory size: 512M, 400MiB, 1G, 1024K.
func unitBytes(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = v, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("not a size")
	}
	return n * mult, nil
}

// Checks Knative Service manifests against the JSON schemas generated from Knative's Go types
// (@kubernetes-models/knative). Catches wrong types and missing required fields; it does not catch
// misspelt field names (the schemas allow unknown keys), which KnativeManifestIT covers for the fields we set.
//
//   cd infra/knative && npm install && node validate-knative.mjs ../../target/kubernetes/knative.yml service-gpu.yaml
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { Service } from "@kubernetes-models/knative/serving.knative.dev/v1/Service";

// Quarkus writes "port: null" in Knative probes. The API server drops nulls and Knative then probes the
// serving port; these schemas reuse the core PodSpec, where a probe port is required. Mimic both steps.
function withoutNulls(value) {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = withoutNulls(v);
  return out;
}

function withServingPortProbes(service) {
  for (const container of service.spec?.template?.spec?.containers ?? []) {
    const port = container.ports?.[0]?.containerPort ?? 8080;
    for (const kind of ["readinessProbe", "livenessProbe", "startupProbe"]) {
      const get = container[kind]?.httpGet;
      if (get && get.port === undefined) get.port = port;
    }
  }
  return service;
}

let ok = 0;
let bad = 0;
for (const file of process.argv.slice(2)) {
  const services = yaml.loadAll(readFileSync(file, "utf8"))
    .filter((d) => d?.apiVersion === "serving.knative.dev/v1" && d?.kind === "Service");
  if (services.length === 0) { bad++; console.log(`FAIL ${file}: no Knative Service`); }
  for (const doc of services) {
    try {
      new Service(withServingPortProbes(withoutNulls(doc))).validate();
      ok++;
      console.log(`ok   ${file}: ${doc.metadata.name}`);
    } catch (e) {
      bad++;
      console.log(`FAIL ${file}: ${doc.metadata?.name}: ${e.message}`);
    }
  }
}
console.log(`${ok} passed, ${bad} failed`);
process.exit(bad === 0 && ok > 0 ? 0 : 1);

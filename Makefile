# PEAK reference suite: the front door. `make` alone lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN      ?= mvn
MVNFLAGS ?= -B -Dstyle.color=never
KEYS     ?= $(CURDIR)/keys
A_PORT   ?= 8080
B_PORT   ?= 8081
# make run-b B_INTERNAL=true enables B's mesh-internal endpoint, which /chain calls
B_INTERNAL ?= false
JDK_NEWER ?= /usr/lib/jvm/temurin-25-jdk-amd64
# Algorithm of the key make rotate-keys adds
ALG ?= RS256

A_JAR := service-a/target/quarkus-app/quarkus-run.jar
B_JAR := service-b/target/quarkus-app/quarkus-run.jar

# The commands the lab runs (docs/lab.md, Missing tools), each with the Debian package that provides it; make bench and
# make test install what is missing when run as root (loadtests/bin/need-packages), or say the one command to run
BENCH_TOOLS := haproxy:haproxy nginx:nginx openssl:openssl ip:iproute2 tc:iproute2 unshare:util-linux \
  setpriv:util-linux curl:curl
# the tests also ask ISC dig about peak-dns's answers and open the report in a headless browser
TEST_TOOLS := $(BENCH_TOOLS) dig:dnsutils chromium:chromium
# make bench-dns runs Knot DNS beside peak-dns under dnsperf, pinned with taskset
DNS_BENCH_TOOLS := dnsperf:dnsperf knotd:knot dig:dnsutils taskset:util-linux unshare:util-linux ip:iproute2
# make compare-knot asks Knot DNS and peak-dns the same queries with dig
DNS_COMPARE_TOOLS := knotd:knot dig:dnsutils taskset:util-linux unshare:util-linux ip:iproute2

.PHONY: help tools setup lab build test keys rotate-keys run-a run-b run-dns run-client native jmh clean bench overload soak model compare deploy-peak deploy-mesh deploy-proxy undeploy install-istio images

help: ## List the targets
	@echo "PEAK reference suite"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z_-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

tools: ## Check that Java 17+ and Maven are installed
	@command -v java >/dev/null || { echo "Java 17+ is missing: apt-get install openjdk-17-jdk-headless"; exit 1; }
	@command -v $(MVN) >/dev/null || { echo "Maven is missing: apt-get install maven"; exit 1; }
	@v=$$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $$2}'); \
	  [ "$${v%%.*}" -ge 17 ] 2>/dev/null || { echo "Java $$v found, 17+ needed: apt-get install openjdk-17-jdk-headless"; exit 1; }

setup: ## Install every tool the lab and the tests need (HAProxy, nginx, openssl, iproute2, dig, Chromium) as root
	@loadtests/bin/need-packages "make setup" $(TEST_TOOLS)

lab: ## Bring one variant up in the local lab until Ctrl-C: make lab VARIANT=ri2-mesh SERVERS=2
	@loadtests/bin/need-packages "make lab" $(BENCH_TOOLS)
	loadtests/scale.sh lab --variant $(or $(VARIANT),ri1-peak) --servers $(or $(SERVERS),2)

build: tools ## Build every module and package the services as fast-jars (no tests)
	$(MVN) $(MVNFLAGS) install -DskipTests

test: tools ## Build and run every test (unit, @QuarkusTest, A against a real B, every lab variant, the Kubernetes manifests)
	@loadtests/bin/need-packages "make test" $(TEST_TOOLS)
	$(MVN) $(MVNFLAGS) verify

# Rebuilt whenever a source of the services or of peak-common changed
SERVICE_SOURCES := $(shell find peak-common service-a service-b -path '*/target' -prune -o -type f \( -path '*/src/main/*' -o -name pom.xml \) -print 2>/dev/null) pom.xml
$(A_JAR) $(B_JAR) &: $(SERVICE_SOURCES)
	$(MVN) $(MVNFLAGS) -q install -DskipTests -pl service-a,service-b -am

keys: tools ## Write a fresh signing key set (ES256, EdDSA, RS256) into keys/
	$(MVN) $(MVNFLAGS) -q install -DskipTests -pl peak-common
	$(MVN) $(MVNFLAGS) -q -pl peak-common exec:java -Dexec.mainClass=dev.peak.common.keys.KeySetGenerator \
	  -Dexec.args="--dir $(KEYS)"

rotate-keys: tools ## Add a new key (ALG=RS256 by default) to keys/; old keys stay published; restart A with its kid
	$(MVN) $(MVNFLAGS) -q install -DskipTests -pl peak-common
	$(MVN) $(MVNFLAGS) -q -pl peak-common exec:java -Dexec.mainClass=dev.peak.common.keys.KeySetGenerator \
	  -Dexec.args="--dir $(KEYS) --alg $(ALG) --add"

run-a: $(A_JAR) ## Run service-a on port 8080 (A_PORT), signing with keys/, chaining to B on 8081
	@test -f $(KEYS)/signing-jwks.json || { echo "no key set in $(KEYS): run 'make keys' first"; exit 1; }
	java -Dquarkus.http.port=$(A_PORT) \
	  -Dsmallrye.jwt.sign.key.location=$(KEYS)/signing-jwks.json \
	  -Dpeak.b.url=http://localhost:$(B_PORT) \
	  -jar $(A_JAR)

run-b: $(B_JAR) ## Run service-b on port 8081 (B_PORT), verifying with keys/jwks.json
	@test -f $(KEYS)/jwks.json || { echo "no key set in $(KEYS): run 'make keys' first"; exit 1; }
	java -Dquarkus.http.port=$(B_PORT) \
	  -Dmp.jwt.verify.publickey.location=$(KEYS)/jwks.json \
	  -Dpeak.b.internal.enabled=$(B_INTERNAL) \
	  -jar $(B_JAR)

DNS_JAR := peak-dns/target/quarkus-app/quarkus-run.jar
DNS_SOURCES := $(shell find peak-dns -path '*/target' -prune -o -type f \( -path '*/src/main/*' -o -name pom.xml \) -print 2>/dev/null)
$(DNS_JAR): $(DNS_SOURCES)
	$(MVN) $(MVNFLAGS) -q install -DskipTests -pl peak-dns -am

run-dns: $(DNS_JAR) ## Run peak-dns with the sample zone on [::1]:5353 (admin HTTP on 8053)
	java -Dpeak.dns.host=::1 -Dpeak.dns.port=5353 -Dpeak.dns.static.file=peak-dns/sample/services.yaml -jar $(DNS_JAR)

run-client: tools ## RI2 on peak-client in the lab: a token from A, calls to B through peak-dns (CALLS=10 SERVERS=2)
	@loadtests/bin/need-packages "make run-client" $(BENCH_TOOLS)
	loadtests/scale.sh lab --variant ri2-peak --servers $(or $(SERVERS),2) -- java \
	  -cp "$(CURDIR)/peak-client/target/peak-client.jar:$(CURDIR)/peak-client/target/lib/*" \
	  dev.peak.client.example.Ri2Client --calls $(or $(CALLS),10)

native: tools ## Build native executables (needs Docker or Podman to run the Mandrel builder image)
	@command -v docker >/dev/null && docker info >/dev/null 2>&1 || command -v podman >/dev/null || { \
	  echo "make native builds inside the Mandrel builder image (quarkus.native.container-build=true):"; \
	  echo "it needs a running Docker engine or Podman and access to quay.io. Neither is available here;"; \
	  echo "the services run as JVM fast-jars everywhere else."; exit 1; }
	$(MVN) $(MVNFLAGS) package -Dnative -DskipTests -pl service-a,service-b,peak-dns -am

jmh: tools ## Run the JMH benchmarks (token signing/verification, B's verification cache) on JDK 17 and, if present, a newer JDK
	$(MVN) $(MVNFLAGS) -q install -DskipTests -pl benchmarks -am
	java -jar benchmarks/target/benchmarks.jar -rf json -rff benchmarks/target/jmh-jdk17.json
	@if [ -x $(JDK_NEWER)/bin/java ]; then \
	  $(JDK_NEWER)/bin/java -jar benchmarks/target/benchmarks.jar -rf json -rff benchmarks/target/jmh-jdk-newer.json; \
	else echo "no newer JDK at $(JDK_NEWER) (set JDK_NEWER=...): JDK 17 only"; fi
	@command -v python3 >/dev/null && python3 benchmarks/summarize.py benchmarks/target/jmh-jdk*.json \
	  || echo "results: benchmarks/target/jmh-jdk*.json (python3 prints them as a table)"

clean: ## Remove build output (keys/ stays)
	$(MVN) $(MVNFLAGS) -q clean

# Knot DNS and peak-dns pinned to CPU 0, dnsperf to CPU 1, in a private network namespace
# (root, or user namespaces); settings in the script's header (REPEATS=5 SECONDS_PER_RUN=20 ...)
.PHONY: bench-dns
bench-dns: tools ## dnsperf: peak-dns against Knot DNS, same answer, one core each; prints QPS, medians, ratio
	@loadtests/bin/need-packages "make bench-dns" $(DNS_BENCH_TOOLS)
	$(MVN) $(MVNFLAGS) -q package -DskipTests -pl peak-dns -am
	peak-dns/bench/bench-dns.sh

# Knot DNS and peak-dns with the same zone in a private network namespace, the same dig queries to both
.PHONY: compare-knot
compare-knot: tools ## dig: peak-dns's answers against Knot DNS's, query by query; Markdown table in peak-dns/target/compare-knot/
	@loadtests/bin/need-packages "make compare-knot" $(DNS_COMPARE_TOOLS)
	$(MVN) $(MVNFLAGS) -q package -DskipTests -pl peak-dns -am
	peak-dns/bench/compare-knot.sh

PROFILE ?= quick
bench: tools ## The scaling experiment on the local lab (PROFILE=smoke|quick|full; PLATFORM=kubernetes; RESUME=results/<ts>)
	$(if $(filter kubernetes,$(PLATFORM)),,@loadtests/bin/need-packages "make bench" $(BENCH_TOOLS))
	loadtests/scale.sh bench $(if $(RESUME),--resume $(RESUME),--profile $(PROFILE) $(if $(PLATFORM),--platform $(PLATFORM)))

overload: tools ## One server at 1 CPU offered 3x its capacity for 15 s, then half: make overload CAPACITY=2900 [COST=5000] [ARGS=...]
	@test -n "$(CAPACITY)" || { echo "usage: make overload CAPACITY=<requests/s one server sustains at 1 CPU and COST (5000)>,"; \
	  echo "e.g. the maximum of: loadtests/scale.sh bench --variants ri1-direct --servers 1 --cpus-per-server 1 --costs 5000"; exit 1; }
	@loadtests/bin/need-packages "make overload" $(BENCH_TOOLS)
	loadtests/scale.sh overload --cpus-per-server 1 --cost $(or $(COST),5000) --capacity $(CAPACITY) $(ARGS)

soak: tools ## ri2-peak and ri2-mesh at 70% of a bench's capacity for 30 min each; fails on growth: make soak [FROM=results/<ts>] [MINUTES=30]
	@loadtests/bin/need-packages "make soak" $(BENCH_TOOLS)
	loadtests/scale.sh soak $(if $(FROM),--from $(FROM)) $(if $(MINUTES),--minutes $(MINUTES)) $(ARGS)

model: tools ## The variants beyond the lab, to 10,000 servers, calibrated on a run: make model [FROM=results/<ts>] [ARGS="--sessions 1000000"]
	loadtests/scale.sh model $(if $(FROM),--from $(FROM)) $(ARGS)

compare: tools ## Two runs side by side, beyond-spread differences flagged; compare.html in B: make compare A=results/<ts1> B=results/<ts2>
	@test -n "$(A)" && test -n "$(B)" || { echo "usage: make compare A=results/<ts1> B=results/<ts2>"; exit 1; }
	loadtests/scale.sh compare "$(A)" "$(B)"

# Kubernetes (k8s/README.md, mesh-variant/README.md): each target first checks that kubectl's current
# context reaches a cluster (and, for the mesh, that Istio is installed) and stops with the reason if not.
# REGISTRY=... (required to deploy) selects the images `make images REGISTRY=...` pushed, by digest; NATIVE=1 the
# native ones; IMAGE_TAG=... a tag pushed elsewhere; DUAL_STACK=1 both address families; ISTIO_CNI=1 Istio's CNI
# node agent (Pod Security baseline for the mesh). Handed to the scripts explicitly, from the command line or the
# environment alike.
K8S_ENV = REGISTRY="$(REGISTRY)" IMAGE_TAG="$(IMAGE_TAG)" NATIVE="$(NATIVE)" DUAL_STACK="$(DUAL_STACK)" ISTIO_CNI="$(ISTIO_CNI)"

deploy-peak: ## Deploy the PEAK variant (peak-dns, no proxy) to kubectl's current context: make deploy-peak REGISTRY=ghcr.io/you
	$(K8S_ENV) k8s/deploy.sh apply peak

deploy-proxy: ## Deploy the reverse-proxy variant (HAProxy; PROXY=nginx for nginx)
	$(K8S_ENV) k8s/deploy.sh apply $(if $(filter nginx,$(PROXY)),proxy-nginx,proxy)

deploy-mesh: ## Deploy the Istio mesh variant (Istio installed first: make install-istio)
	$(K8S_ENV) k8s/deploy.sh apply mesh

undeploy: ## Delete every variant deployed by the targets above (their namespaces; Istio stays)
	@for variant in peak proxy mesh; do k8s/deploy.sh delete $$variant || exit $$?; done

install-istio: ## Install Istio for the mesh variant with istioctl (DUAL_STACK=1, ISTIO_CNI=1)
	$(K8S_ENV) mesh-variant/istio/install.sh

images: tools ## Build and push the images with Jib (no Docker daemon), simulations too: make images REGISTRY=ghcr.io/you [NATIVE=1]
	REGISTRY="$(REGISTRY)" NATIVE="$(NATIVE)" IMAGE_TAG="$(IMAGE_TAG)" MVN="$(MVN)" MVNFLAGS="$(MVNFLAGS)" k8s/images.sh

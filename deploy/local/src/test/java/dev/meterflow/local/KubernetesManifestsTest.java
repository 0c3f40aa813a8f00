package dev.meterflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meterflow.health.HealthServer;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.worker.config.WorkerConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the manifests under deploy/k8s, read with Kubernetes' own model, agree with the apps: every
 * environment variable is a key the app accepts, the probes ask the paths and port the app serves, the
 * ConfigMaps are deploy/config as it is, and names, labels and references resolve.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("..", "k8s");
    private static final Path CONFIG = Path.of("..", "config");
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "ConfigMap", ConfigMap.class, "Service", Service.class, "Secret", Secret.class,
            "StatefulSet", StatefulSet.class, "Deployment", Deployment.class,
            "PodDisruptionBudget", PodDisruptionBudget.class);
    private static final ObjectMapper YAML = new YAMLMapper();

    private static List<HasMetadata> applied;
    private static Secret gatewaySecret;

    @TempDir
    Path temp;

    @BeforeAll
    static void readManifests() throws IOException {
        applied = new ArrayList<>();
        for (JsonNode resource : YAML.readTree(K8S.resolve("kustomization.yaml").toFile()).get("resources")) {
            applied.addAll(read(K8S.resolve(resource.asText())));
        }
        gatewaySecret = (Secret) read(K8S.resolve("gateway-secret.yaml")).get(0);
    }

    @Test
    void shouldShipDeployConfigAsItIsInTheConfigMaps() throws IOException {
        assertThat(one(ConfigMap.class, "metering-topology-config").getData())
                .containsExactly(Map.entry("metering-topology.properties",
                        Files.readString(CONFIG.resolve("metering-topology.properties"))));
        assertThat(one(ConfigMap.class, "recharge-worker-config").getData())
                .containsExactly(Map.entry("recharge-worker.properties",
                        Files.readString(CONFIG.resolve("recharge-worker.properties"))));
    }

    @Test
    void shouldStartMeteringPodsTheAppAcceptsWithStaticNamesStateVolumesProbesAndTime() throws IOException {
        StatefulSet metering = one(StatefulSet.class, "metering-topology");
        PodSpec pod = metering.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        MeteringConfig config = MeteringConfig.load(configFile(pod, container),
                environment(container, "metering-topology-1"));

        assertThat(config.streamsProperties())
                .containsEntry("group.instance.id", "metering-topology-1")
                .containsEntry("num.standby.replicas", "1");
        assertProbesMatch(container, config.healthPort());
        String stateDir = config.get(MeteringConfig.STATE_DIR);
        assertThat(metering.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim ->
                assertThat(Path.of(stateDir).startsWith(mount(container, claim.getMetadata().getName()).getMountPath()))
                        .as("state.dir %s on the state volume", stateDir).isTrue());
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(config.shutdownTimeout().toSeconds());

        Service service = one(Service.class, metering.getSpec().getServiceName());
        Map<String, String> labels = metering.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels).containsAllEntriesOf(metering.getSpec().getSelector().getMatchLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        PodDisruptionBudget budget = one(PodDisruptionBudget.class, "metering-topology");
        assertThat(labels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertScrapedAt(metering.getSpec().getTemplate(), config.healthPort());
    }

    @Test
    void shouldStartWorkerPodsTheAppAcceptsWithTheirOwnTransactionalIdsTheKeyFromTheSecretAndProbes()
            throws IOException {
        Deployment worker = one(Deployment.class, "recharge-worker");
        PodSpec pod = worker.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        WorkerConfig config = WorkerConfig.load(configFile(pod, container),
                environment(container, "recharge-worker-7d9f-x2"));

        assertThat(config.get(WorkerConfig.TRANSACTIONAL_ID)).isEqualTo("recharge-worker-7d9f-x2");
        assertProbesMatch(container, config.healthPort());
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(config.shutdownTimeout().toSeconds());
        assertThat(worker.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(worker.getSpec().getSelector().getMatchLabels());
        assertScrapedAt(worker.getSpec().getTemplate(), config.healthPort());

        Volume keyVolume = pod.getVolumes().stream().filter(volume -> volume.getSecret() != null).findFirst()
                .orElseThrow();
        assertThat(keyVolume.getSecret().getSecretName()).isEqualTo(gatewaySecret.getMetadata().getName());
        String keyPath = keyVolume.getSecret().getItems().get(0).getPath();
        assertThat(gatewaySecret.getStringData()).containsKey(keyVolume.getSecret().getItems().get(0).getKey());
        assertThat(config.get(WorkerConfig.GATEWAY_API_KEY_FILE))
                .isEqualTo(mount(container, keyVolume.getName()).getMountPath() + "/" + keyPath);
    }

    private static void assertProbesMatch(Container container, int healthPort) {
        assertThat(container.getPorts()).anySatisfy(port -> {
            assertThat(port.getContainerPort()).isEqualTo(healthPort);
            assertThat(port.getName()).isEqualTo(container.getReadinessProbe().getHttpGet().getPort().getStrVal());
            assertThat(port.getName()).isEqualTo(container.getLivenessProbe().getHttpGet().getPort().getStrVal());
        });
        assertThat(path(container.getReadinessProbe())).isEqualTo(HealthServer.READY);
        assertThat(path(container.getLivenessProbe())).isEqualTo(HealthServer.LIVE);
    }

    private static void assertScrapedAt(PodTemplateSpec template, int healthPort) {
        assertThat(template.getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", String.valueOf(healthPort))
                .containsEntry("prometheus.io/path", HealthServer.METRICS);
    }

    private static String path(Probe probe) {
        return probe.getHttpGet().getPath();
    }

    /**
     * The file {@code --config} names, written from the ConfigMap mounted there, so the app reads what the pod
     * would.
     */
    private Path configFile(PodSpec pod, Container container) throws IOException {
        List<String> args = container.getArgs();
        Path inPod = Path.of(args.get(args.indexOf("--config") + 1));
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(candidate -> inPod.startsWith(candidate.getMountPath())).findFirst().orElseThrow();
        Volume volume = pod.getVolumes().stream().filter(candidate -> candidate.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        String content = one(ConfigMap.class, volume.getConfigMap().getName()).getData()
                .get(Path.of(mount.getMountPath()).relativize(inPod).toString());
        assertThat(content).as("%s from ConfigMap %s", inPod, volume.getConfigMap().getName()).isNotNull();
        Path file = temp.resolve(inPod.getFileName());
        Files.writeString(file, content);
        return file;
    }

    /** The container's environment as the pod named {@code podName} gets it; only METERFLOW_ variables. */
    private static Map<String, String> environment(Container container, String podName) {
        Map<String, String> environment = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            assertThat(variable.getName()).startsWith("METERFLOW_");
            if (variable.getValueFrom() == null) {
                environment.put(variable.getName(), variable.getValue());
            } else {
                assertThat(variable.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
                environment.put(variable.getName(), podName);
            }
        }
        return environment;
    }

    private static VolumeMount mount(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(mount -> mount.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    private static <T extends HasMetadata> T one(Class<T> kind, String name) {
        return applied.stream().filter(kind::isInstance).map(kind::cast)
                .filter(resource -> resource.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
    }

    private static List<HasMetadata> read(Path file) throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                Class<? extends HasMetadata> kind = KINDS.get(document.path("kind").asText());
                assertThat(kind).as("kind %s in %s", document.path("kind"), file).isNotNull();
                resources.add(YAML.treeToValue(document, kind));
            }
        }
        return resources;
    }
}

package dev.peak.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * The Pod Security Standards' checks on a pod spec, as the admission controller applies them at the levels
 * baseline and restricted (kubernetes.io/docs/concepts/security/pod-security-standards, v1.26): what a namespace's
 * {@code pod-security.kubernetes.io/enforce} label would refuse, offline. AppArmor, SELinux and Windows options are
 * left out: no manifest of the suite sets them.
 */
final class PodSecurity {

    static final String ENFORCE = "pod-security.kubernetes.io/enforce";
    static final String ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version";
    static final List<String> LEVELS = List.of("privileged", "baseline", "restricted");

    private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    private PodSecurity() {
    }

    /** What {@code level} refuses in {@code pod}, one line per violation; empty when the pod is admitted. */
    static List<String> violations(PodSpec pod, String level) {
        List<String> found = new ArrayList<>();
        if (level.equals("privileged")) {
            return found;
        }
        PodSecurityContext podContext = Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            found.add("host namespaces");
        }
        for (Volume volume : pod.getVolumes()) {
            if (volume.getHostPath() != null) {
                found.add("hostPath volume " + volume.getName());
            }
        }
        for (Container c : containers(pod)) {
            SecurityContext context = Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                found.add(c.getName() + ": privileged");
            }
            for (ContainerPort port : c.getPorts()) {
                if (port.getHostPort() != null && port.getHostPort() != 0) {
                    found.add(c.getName() + ": hostPort " + port.getHostPort());
                }
            }
            for (String added : added(context)) {
                if (!BASELINE_CAPABILITIES.contains(added)) {
                    found.add(c.getName() + ": adds capability " + added);
                }
            }
            if ("Unconfined".equals(seccomp(context, podContext))) {
                found.add(c.getName() + ": seccomp Unconfined");
            }
        }
        if (level.equals("restricted")) {
            restricted(pod, podContext, found);
        }
        return found;
    }

    private static void restricted(PodSpec pod, PodSecurityContext podContext, List<String> found) {
        for (Volume volume : pod.getVolumes()) {
            if (volume.getConfigMap() == null && volume.getCsi() == null && volume.getDownwardAPI() == null
                    && volume.getEmptyDir() == null && volume.getEphemeral() == null && volume.getPersistentVolumeClaim() == null
                    && volume.getProjected() == null && volume.getSecret() == null) {
                found.add("volume " + volume.getName() + " of a type restricted does not allow");
            }
        }
        for (Container c : containers(pod)) {
            SecurityContext context = Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
            if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                found.add(c.getName() + ": allowPrivilegeEscalation is not false");
            }
            boolean nonRoot = Optional.ofNullable(context.getRunAsNonRoot()).orElse(Boolean.TRUE.equals(podContext.getRunAsNonRoot()));
            if (!nonRoot) {
                found.add(c.getName() + ": runAsNonRoot is not true");
            }
            Long user = Optional.ofNullable(context.getRunAsUser()).orElse(podContext.getRunAsUser());
            if (user != null && user == 0) {
                found.add(c.getName() + ": runAsUser 0");
            }
            String seccomp = seccomp(context, podContext);
            if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                found.add(c.getName() + ": seccomp profile " + seccomp + ", not RuntimeDefault or Localhost");
            }
            Capabilities capabilities = context.getCapabilities();
            if (capabilities == null || capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
                found.add(c.getName() + ": does not drop ALL capabilities");
            }
            for (String added : added(context)) {
                if (!added.equals("NET_BIND_SERVICE")) {
                    found.add(c.getName() + ": adds capability " + added);
                }
            }
        }
    }

    private static List<Container> containers(PodSpec pod) {
        return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList();
    }

    private static List<String> added(SecurityContext context) {
        return Optional.ofNullable(context.getCapabilities()).map(Capabilities::getAdd).orElse(List.of());
    }

    /** The container's seccomp profile type, else the pod's; null when neither sets one. */
    private static String seccomp(SecurityContext context, PodSecurityContext podContext) {
        return Optional.ofNullable(context.getSeccompProfile()).or(() -> Optional.ofNullable(podContext.getSeccompProfile()))
                .map(SeccompProfile::getType).orElse(null);
    }
}

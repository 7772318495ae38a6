package dev.peak.k8s;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Parses rendered manifests into the fabric8 models (Kubernetes, and Istio through io.fabric8:istio-model)
 * and rejects what those lenient models would quietly accept: a kind no model knows (it would become a
 * {@link GenericKubernetesResource}) and any field the model does not have (it would land in an
 * {@code additionalProperties} map and be dropped by the API server, or refused by a strict one).
 */
final class StrictModels {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StrictModels() {
    }

    /** Every document of a multi-document YAML stream, typed; throws listing every problem found. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (!(parsed instanceof HasMetadata object)) {
                problems.add("not a Kubernetes object: " + document.strip().lines().findFirst().orElse(""));
                continue;
            }
            String name = object.getKind() + " " + object.getMetadata().getName();
            if (object instanceof GenericKubernetesResource) {
                problems.add(name + ": no model for " + object.getApiVersion() + " " + object.getKind());
            } else {
                unknownFields(object, name, problems);
            }
            objects.add(object);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("manifests do not match the models:\n  " + String.join("\n  ", problems));
        }
        return objects;
    }

    /** Walks the model's fields; every non-empty additionalProperties map is a field the model lacks. */
    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, problems));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object child = read(field, value);
                if (field.getName().equals("additionalProperties")) {
                    if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add(path + ": unknown field(s) " + extra.keySet());
                    }
                } else {
                    unknownFields(child, path + "." + field.getName(), problems);
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + field + ": " + e.getMessage(), e);
        }
    }
}

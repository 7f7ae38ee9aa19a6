package io.portwatch.ci.k8s;

/** One validation failure: the field path inside the object (JSON-path-like) and the rule broken. */
record Problem(String path, String message) {

    @Override
    public String toString() {
        return (path.isEmpty() ? "" : path + ": ") + message;
    }
}

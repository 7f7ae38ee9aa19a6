package io.portwatch.agent.config;

import io.portwatch.core.yaml.YamlError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a check directory: every {@code *.yaml} and {@code *.yml} file directly in it (hidden files
 * skipped, symbolic links followed, as in a mounted Kubernetes ConfigMap). The result does not
 * depend on file order, and it holds every error of every file, never just the first.
 *
 * <p>Errors name files as {@code dir.resolve(fileName)}, so they read as the directory was given:
 * {@code checks.d/web.yaml:12:9: port 70000 is outside 0-65535}. Problems with the directory or a
 * whole file are reported at line 0, column 0.
 */
public final class CheckDirectoryLoader {

    /**
     * The default limit on the instances one check may expand to (targets x ports): the one
     * source of {@code portwatch.max-instances-per-check}'s {@code @WithDefault} too.
     */
    public static final int MAX_INSTANCES_PER_CHECK = 1024;

    private final int maxInstancesPerCheck;

    /** A loader with the default limit of {@value #MAX_INSTANCES_PER_CHECK} instances per check. */
    public CheckDirectoryLoader() {
        this(MAX_INSTANCES_PER_CHECK);
    }

    /** A loader that rejects a check expanding to more than {@code maxInstancesPerCheck} instances. */
    public CheckDirectoryLoader(int maxInstancesPerCheck) {
        if (maxInstancesPerCheck < 1) {
            throw new IllegalArgumentException("max instances per check must be at least 1, not " + maxInstancesPerCheck);
        }
        this.maxInstancesPerCheck = maxInstancesPerCheck;
    }

    /** Reads and validates the directory. */
    public ConfigLoad load(Path dir) {
        return loadIfChanged(dir, null).orElseThrow();
    }

    /**
     * {@link #load}, unless the directory holds exactly the same check files, by name and content,
     * as at the {@code previous} read: then empty, and nothing was parsed. The agent rescans its
     * directory every few seconds as a fallback for the watcher; parsing 10,000 instances for nothing
     * each time cost more CPU than the scheduler.
     *
     * @param previous the {@link DirectoryDigest} of the last read, or null to load whatever is there
     */
    public Optional<ConfigLoad> loadIfChanged(Path dir, DirectoryDigest previous) {
        if (!Files.exists(dir)) {
            return Optional.of(directoryError(dir, "check directory does not exist"));
        }
        if (!Files.isDirectory(dir)) {
            return Optional.of(directoryError(dir, "check directory is not a directory"));
        }
        List<Path> files;
        try {
            files = checkFiles(dir);
        } catch (IOException e) {
            return Optional.of(directoryError(dir, "cannot read check directory: " + reason(e)));
        }
        DirectoryDigest.Builder digest = new DirectoryDigest.Builder(dir);
        List<String> texts = new ArrayList<>(files.size());
        List<YamlError> errors = new ArrayList<>();
        for (Path file : files) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                digest.add(file, bytes);
                // A new decoder reports malformed input (as Files.readString does), never replaces it.
                texts.add(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
            } catch (IOException e) {
                digest.unreadable(file);
                texts.add(null);
                errors.add(new YamlError(file.toString(), 0, 0, "cannot read file: " + reason(e)));
            }
        }
        DirectoryDigest read = digest.build();
        if (read.equals(previous)) {
            return Optional.empty();
        }
        return Optional.of(parse(files, texts, errors, read));
    }

    private ConfigLoad parse(List<Path> files, List<String> texts, List<YamlError> errors, DirectoryDigest digest) {

        List<CheckSpec> checks = new ArrayList<>();
        Map<String, CheckFileParser.NameAt> firstByName = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i).toString();
            String text = texts.get(i);
            if (text == null) {
                continue; // unreadable: already an error
            }
            CheckFileParser.Result result = CheckFileParser.parse(name, text, maxInstancesPerCheck);
            errors.addAll(result.errors());
            checks.addAll(result.checks());
            for (CheckFileParser.NameAt at : result.names()) {
                CheckFileParser.NameAt first = firstByName.putIfAbsent(at.name(), at);
                if (first != null) {
                    errors.add(new YamlError(at.file(), at.line(), at.column(),
                            "duplicate check name \"" + at.name() + "\" (first defined at " + first.location() + ")"));
                }
            }
        }
        if (!errors.isEmpty()) {
            return new ConfigLoad.Invalid(errors, digest);
        }

        List<CheckInstance> instances = checks.stream()
                .flatMap(check -> check.instances().stream())
                .sorted(Comparator.comparing(CheckInstance::key))
                .toList();
        return new ConfigLoad.Loaded(new CheckConfig(instances, ConfigHash.of(instances), files.size(), checks.size()),
                digest);
    }

    /** The check files, sorted by name so that "first defined at" is the same on every run. */
    private static List<Path> checkFiles(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            // Files.list resolves each name against dir: the paths read as dir was given.
            return entries.filter(CheckDirectoryLoader::isCheckFile)
                    .sorted(Comparator.comparing(path -> path.getFileName().toString()))
                    .toList();
        }
    }

    private static boolean isCheckFile(Path path) {
        String name = path.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(path);
    }

    private static ConfigLoad directoryError(Path dir, String message) {
        return new ConfigLoad.Invalid(List.of(new YamlError(dir.toString(), 0, 0, message)), null);
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof MalformedInputException) {
            return "not valid UTF-8";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}

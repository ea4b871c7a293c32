package dev.hikkoshi.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code hikkoshi run -c CONFIG} as a child JVM, for tests that kill the controller: started with the tokens the
 * shop configs name ({@code ROUTER_TOKEN}, {@code OPS_TOKEN}), its output kept in a file of the test's directory.
 */
public final class RunChild implements AutoCloseable {
    private final Process process;
    private final Path output;

    private RunChild(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static RunChild start(Path config, Path dir, String opsToken) throws IOException {
        Path output = Files.createTempFile(dir, "run", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "-c",
                config.toString()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("ROUTER_TOKEN", "router-secret");
        pb.environment().put("OPS_TOKEN", opsToken);
        return new RunChild(pb.start(), output);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Everything the child printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child's last 40 lines, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** SIGKILL, as a crash: nothing of the child's shutdown runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

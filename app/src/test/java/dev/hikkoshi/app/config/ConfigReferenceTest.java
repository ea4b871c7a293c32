package dev.hikkoshi.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/config.md is generated: this test fails when the file differs from what the catalogs generate, and
 * rewrites it when run with {@code -Dhikkoshi.config-doc.write=true} ({@link ConfigReference#REGENERATE}).
 */
class ConfigReferenceTest {
    /** Surefire runs in the module's directory; the docs are the project's. */
    private static final Path DOC = Path.of("..", "docs", "config.md");

    @Test
    void docsConfigMd_isWhatTheCatalogsGenerate() throws IOException {
        String generated = ConfigReference.markdown();
        if (Boolean.getBoolean("hikkoshi.config-doc.write")) {
            Files.writeString(DOC, generated);
        }
        String written = Files.readString(DOC);
        if (!written.equals(generated)) {
            List<String> w = written.lines().toList();
            List<String> g = generated.lines().toList();
            int line = 0;
            while (line < w.size() && line < g.size() && w.get(line).equals(g.get(line))) {
                line++;
            }
            fail("docs/config.md is not what the config catalogs generate (first difference at line " + (line + 1)
                    + ":\n  file:      " + (line < w.size() ? w.get(line) : "(end of file)")
                    + "\n  generated: " + (line < g.size() ? g.get(line) : "(end of file)")
                    + ")\nChange the ConfigCatalog beside the binder rather than the file, then regenerate it with:\n  "
                    + ConfigReference.REGENERATE);
        }
    }

    @Test
    void markdown_rendersEachCatalogAsATableWithKeysRelativeToItsSection() {
        String md = ConfigReference.markdown();

        assertThat(md).contains("""
                ## router.tenant-from
                Each rule has exactly one of `host`, `path`, `header`, `cookie`, `query`.

                | key | default | meaning |
                |---|---|---|
                | `host` |  | `"{tenant}.shop.example.com"`: the tenant is one label""");
        assertThat(md).contains("| `freeze.max-hold` | `10s` | a request held longer gets 503");
        assertThat(md).contains("| `tables.NAME.shared.writer` |  | shared reference data, written only on this site |");
        assertThat(md).contains("  flapping: { fire: 3, of: 5, clear-after: 5 }\n```\n\n## alerts.signals\n");
    }
}

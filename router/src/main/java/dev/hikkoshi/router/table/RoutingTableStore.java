package dev.hikkoshi.router.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the routing table, frozen flags included, in {@code STATE_DIR/routing-table.json}, so that a restarted
 * router never sends a moved tenant back and keeps frozen tenants frozen. Used by {@link RoutingTableHolder}.
 *
 * <p>Crash safety: the table is written to a temporary file in the same directory, fsynced, renamed over
 * the old file atomically, and the directory is fsynced so the rename itself survives a power loss. A crash
 * at any point leaves either the old or the new table, never a mix.
 */
public final class RoutingTableStore {
    public static final String FILE_NAME = "routing-table.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path file;

    public RoutingTableStore(Path stateDir) {
        this.dir = stateDir;
        this.file = stateDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /**
     * The persisted table, or empty when none was ever written. A file that cannot be read, or that places a
     * tenant on a site not among {@code knownSites}, is refused: starting without it could send a moved
     * tenant back to its old site.
     */
    public Optional<RoutingTable> load(Collection<SiteId> knownSites) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String hint = "restore " + file + " from a backup or another router (GET /routing-table on its admin API);"
                + " delete it only if no tenant was ever moved";
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserException("routing table state file " + file + " cannot be read: " + e.getMessage(), hint);
        }
        if (root == null || !root.isObject() || !root.path("version").canConvertToLong()
                || root.path("version").asLong() < 0 || !root.path("placements").isObject()) {
            throw new UserException("routing table state file " + file
                    + " is not a routing table ({\"version\": N, \"placements\": {...}})", hint);
        }
        Map<TenantId, Placement> placements = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : root.get("placements").properties()) {
            JsonNode p = e.getValue();
            String site = p.path("site").asText("");
            if (!TenantId.isValid(e.getKey()) || !SiteId.isValid(site) || !p.path("frozen").isBoolean()) {
                throw new UserException("routing table state file " + file + " has an invalid placement for "
                        + e.getKey() + ": " + p, hint);
            }
            if (!knownSites.contains(SiteId.of(site))) {
                throw new UserException("routing table state file " + file + " places tenant " + e.getKey()
                        + " on site " + site + ", which the config does not define",
                        "add site " + site + " back under sites: in the config, or push a table that no longer uses it");
            }
            placements.put(TenantId.of(e.getKey()), new Placement(SiteId.of(site), p.get("frozen").booleanValue()));
        }
        return Optional.of(new RoutingTable(root.get("version").asLong(), placements));
    }

    /** Writes the table durably (see the class comment); returns only once it is on disk. */
    public void save(RoutingTable table) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", table.version());
        ObjectNode placements = root.putObject("placements");
        table.sorted().forEach((tenant, p) -> placements.putObject(tenant.value())
                .put("site", p.site().value()).put("frozen", p.frozen()));
        try {
            Files.createDirectories(dir);
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            Path temp = dir.resolve(FILE_NAME + ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write routing table version " + table.version() + " to " + file
                    + ": " + e.getMessage(), e);
        }
    }
}

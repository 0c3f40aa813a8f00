package dev.meterflow.local.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The RocksDB stores of a closed Kafka Streams state directory, on disk: the bytes of each store's SST files
 * summed over its tasks (and, for a segmented window store, its segments), which is RocksDB's
 * {@code rocksdb.total-sst-files-size} once the memtables are flushed, as a clean close does.
 */
final class StoreSizes {

    private StoreSizes() {
    }

    /** Store name → bytes of its SST files, for every store of {@code stores} found under {@code stateDir}. */
    static Map<String, Long> sstBytes(Path stateDir, Collection<String> stores) {
        Map<String, Long> bytes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.filter(file -> file.getFileName().toString().endsWith(".sst")).forEach(file ->
                    storeOf(stateDir.relativize(file), stores).ifPresent(store ->
                            bytes.merge(store, file.toFile().length(), Long::sum)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state directory " + stateDir, e);
        }
        return bytes;
    }

    /**
     * Compacts every RocksDB database under {@code stateDir} in full (all column families), so what is left is the
     * live data: overwritten balances and deleted keys gone. Options as Kafka Streams' own (no compression, 4 KiB
     * blocks, a Bloom filter), so the files compare with what it writes. The state directory must not be in use.
     *
     * @return how many databases were compacted
     */
    static int compactAll(Path stateDir) {
        RocksDB.loadLibrary();
        List<Path> databases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.filter(file -> file.getFileName().toString().equals("CURRENT"))
                    .forEach(current -> databases.add(current.getParent()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state directory " + stateDir, e);
        }
        databases.forEach(StoreSizes::compact);
        return databases.size();
    }

    private static void compact(Path database) {
        String path = database.toString();
        try (Options listing = new Options();
             DBOptions dbOptions = new DBOptions();
             ColumnFamilyOptions columnOptions = new ColumnFamilyOptions()
                     .setCompressionType(CompressionType.NO_COMPRESSION)
                     .setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(4096L)
                             .setFilterPolicy(new BloomFilter()))) {
            List<ColumnFamilyDescriptor> families = RocksDB.listColumnFamilies(listing, path).stream()
                    .map(name -> new ColumnFamilyDescriptor(name, columnOptions)).toList();
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB db = RocksDB.open(dbOptions, path, families, handles)) {
                for (ColumnFamilyHandle handle : handles) {
                    db.compactRange(handle);
                }
                handles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot compact the RocksDB store " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The store a file belongs to: the first path element named after a store, or after one of a segmented
     * store's segments ({@code dedup-store.1764460800000}).
     */
    static Optional<String> storeOf(Path relative, Collection<String> stores) {
        for (Path element : relative) {
            String name = element.toString();
            for (String store : stores) {
                if (name.equals(store) || name.startsWith(store + ".")) {
                    return Optional.of(store);
                }
            }
        }
        return Optional.empty();
    }
}

// An in-memory DuckDB that cannot write plaintext to disk: no temporary directory, a zero
// spill quota, no file or network access, and the configuration locked so no later statement
// can undo any of it. A query that would need to spill fails with an out-of-memory error.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface SessionOptions {
  /** DuckDB's memory_limit in bytes */
  memoryLimitBytes: number;
  /** worker threads; DuckDB's default is one per core */
  threads?: number;
}

export interface DuckDBSession {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

export async function openSecureDuckDB(options: SessionOptions): Promise<DuckDBSession> {
  const mib = Math.max(16, Math.floor(options.memoryLimitBytes / (1024 * 1024)));
  const config: Record<string, string> = {
    memory_limit: `${mib}MiB`,
    temp_directory: '',
    max_temp_directory_size: '0B',
    enable_external_access: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    lock_configuration: 'true',
  };
  if (options.threads !== undefined) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

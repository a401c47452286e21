import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The database's own health: a round trip that also proves PostGIS is installed and loadable. */
@Injectable()
export class DatabaseHealthRepository {
  constructor(private readonly db: DataSource) {}

  /** The PostGIS library version; fails when the database (or PostGIS) does not answer. */
  async postgisVersion(): Promise<string> {
    const rows: { v: string }[] = await this.db.query(`SELECT postgis_lib_version() AS v`);
    return rows[0].v;
  }
}

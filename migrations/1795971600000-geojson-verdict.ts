import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostGIS's verdict on one GeoJSON geometry, as a value instead of an error: the geometry (SRID
 * 4326) and, when it cannot be read, is empty or is not valid, the reason. ST_GeomFromGeoJSON
 * raises on input it cannot read; called row by row from one statement, one such geometry used
 * to fail the statement and so every geometry beside it. The exception block is a subtransaction
 * per call that writes nothing. Errors that are not about the input (out of memory, shutdown,
 * cancel) still raise.
 */
export class GeojsonVerdict1795971600000 implements MigrationInterface {
  name = 'GeojsonVerdict1795971600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION cityops_geojson_verdict(doc jsonb, OUT geom geometry, OUT problem text)
      LANGUAGE plpgsql STABLE PARALLEL SAFE AS $fn$
      BEGIN
        IF doc IS NULL OR jsonb_typeof(doc) = 'null' THEN
          problem := 'not a geometry';
          RETURN;
        END IF;
        geom := ST_SetSRID(ST_GeomFromGeoJSON(doc::text), 4326);
        IF ST_IsEmpty(geom) THEN
          problem := 'empty geometry';
        ELSIF NOT ST_IsValid(geom) THEN
          problem := ST_IsValidReason(geom);
        END IF;
      EXCEPTION
        WHEN insufficient_resources OR program_limit_exceeded OR operator_intervention OR system_error THEN
          RAISE;
        WHEN OTHERS THEN
          geom := NULL;
          problem := 'not a readable GeoJSON geometry (' || SQLERRM || ')';
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS cityops_geojson_verdict(jsonb)`);
  }
}

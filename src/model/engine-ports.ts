/**
 * Default ports of database and cache engines, shared by every parser's attachment table: a group attached to an
 * RDS instance of engine `postgres` guards tcp/5432 unless the resource sets its own port.
 */

/** Engine name prefix -> default ports, checked in order (longer prefixes first, so `aurora-postgresql` wins over `aurora`). */
export type EnginePorts = readonly (readonly [prefix: string, ports: readonly number[]])[];

/** RDS instances and clusters (`Engine` / `engine`), Aurora included. */
export const RDS_ENGINE_PORTS: EnginePorts = [
  ['aurora-postgresql', [5432]],
  ['aurora-mysql', [3306]],
  ['aurora', [3306]],
  ['mysql', [3306]],
  ['mariadb', [3306]],
  ['postgres', [5432]],
  ['custom-oracle', [1521]],
  ['oracle', [1521]],
  ['custom-sqlserver', [1433]],
  ['sqlserver', [1433]],
];

/** RDS Proxy engine families (`EngineFamily` / `engine_family`: MYSQL, POSTGRESQL, SQLSERVER). */
export const RDS_PROXY_ENGINE_PORTS: EnginePorts = [
  ['mysql', [3306]],
  ['postgresql', [5432]],
  ['sqlserver', [1433]],
];

/** ElastiCache clusters, replication groups and serverless caches. */
export const CACHE_ENGINE_PORTS: EnginePorts = [
  ['redis', [6379]],
  ['valkey', [6379]],
  ['memcached', [11211]],
];

/**
 * Amazon MQ brokers (`EngineType` / `engine_type`): ActiveMQ OpenWire (61617), AMQP (5671), STOMP (61614), MQTT (8883),
 * WSS (61619) and the web console (8162); RabbitMQ AMQP (5671) and its console on 443 (Amazon MQ developer guide,
 * "Amazon MQ broker ports").
 */
export const MQ_ENGINE_PORTS: EnginePorts = [
  ['activemq', [61617, 5671, 61614, 8883, 61619, 8162]],
  ['rabbitmq', [5671, 443]],
];

/** The facts of a port specification that do not depend on the input syntax; each parser adds its own names. */
export interface PortDefaults {
  /** Default ports by engine. */
  engines?: EnginePorts;
  /** Engine assumed when the resource names none. */
  defaultEngine?: string;
  /** Ports when nothing else says. */
  fixed?: readonly number[];
}

/** The default ports of an engine (case-insensitive prefix match), or undefined when the table does not know it. */
export function defaultPortsForEngine(engine: string, engines: EnginePorts): readonly number[] | undefined {
  const name = engine.toLowerCase();
  return engines.find(([prefix]) => name.startsWith(prefix))?.[1];
}

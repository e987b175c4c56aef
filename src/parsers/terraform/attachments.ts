/**
 * Which Terraform resource types attach security groups, through which attributes, what they are, and which port
 * they listen on (AWS provider 5.100 schema; formats.md §6). The one place to extend when a type is missing.
 */
import type { PortDefaults } from '../../model/engine-ports';
import { CACHE_ENGINE_PORTS, defaultPortsForEngine, MQ_ENGINE_PORTS, RDS_ENGINE_PORTS, RDS_PROXY_ENGINE_PORTS } from '../../model/engine-ports';
import type { AttachmentCategory } from '../../model/types';
import type { TfVal } from './values';
import { field, scalarText } from './values';

/** How the port a resource listens on is found: its own attribute, or a default by engine (see PortDefaults). */
export interface TfPortSpec extends PortDefaults {
  /** Attribute holding the port ("port"). */
  attribute?: string;
  /** Attribute naming the engine ("engine", "engine_family"). */
  engineAttribute?: string;
}

/** One resource type that attaches security groups. */
export interface TfAttachmentSpec {
  category: AttachmentCategory;
  /** Attribute paths holding group ids or names; nested blocks are walked (`vpc_config.security_group_ids`). */
  paths: readonly string[];
  ports?: TfPortSpec;
}

const RDS_PORTS: TfPortSpec = { attribute: 'port', engineAttribute: 'engine', engines: RDS_ENGINE_PORTS };

/** Resource type -> where its groups are and what it is. */
export const ATTACHMENTS: Readonly<Record<string, TfAttachmentSpec>> = {
  aws_instance: { category: 'compute', paths: ['vpc_security_group_ids', 'security_groups', 'network_interface.security_groups'] },
  aws_spot_instance_request: { category: 'compute', paths: ['vpc_security_group_ids', 'security_groups'] },
  aws_launch_template: {
    category: 'compute',
    paths: ['vpc_security_group_ids', 'security_group_names', 'network_interfaces.security_groups'],
  },
  aws_launch_configuration: { category: 'compute', paths: ['security_groups'] },
  aws_network_interface: { category: 'compute', paths: ['security_groups'] },
  aws_network_interface_sg_attachment: { category: 'compute', paths: ['security_group_id'] },
  aws_batch_compute_environment: { category: 'compute', paths: ['compute_resources.security_group_ids'] },
  aws_emr_cluster: {
    category: 'compute',
    paths: [
      'ec2_attributes.emr_managed_master_security_group',
      'ec2_attributes.emr_managed_slave_security_group',
      'ec2_attributes.additional_master_security_groups',
      'ec2_attributes.additional_slave_security_groups',
      'ec2_attributes.service_access_security_group',
    ],
  },
  aws_db_instance: { category: 'database', paths: ['vpc_security_group_ids'], ports: RDS_PORTS },
  aws_rds_cluster: { category: 'database', paths: ['vpc_security_group_ids'], ports: RDS_PORTS },
  aws_db_proxy: {
    category: 'database',
    paths: ['vpc_security_group_ids'],
    ports: { engineAttribute: 'engine_family', engines: RDS_PROXY_ENGINE_PORTS },
  },
  aws_db_proxy_endpoint: { category: 'database', paths: ['vpc_security_group_ids'] },
  aws_docdb_cluster: { category: 'database', paths: ['vpc_security_group_ids'], ports: { attribute: 'port', fixed: [27017] } },
  aws_neptune_cluster: { category: 'database', paths: ['vpc_security_group_ids'], ports: { attribute: 'port', fixed: [8182] } },
  aws_redshift_cluster: { category: 'database', paths: ['vpc_security_group_ids'], ports: { attribute: 'port', fixed: [5439] } },
  aws_dms_replication_instance: { category: 'other', paths: ['vpc_security_group_ids'] },
  aws_elasticache_cluster: {
    category: 'cache',
    paths: ['security_group_ids'],
    ports: { attribute: 'port', engineAttribute: 'engine', engines: CACHE_ENGINE_PORTS },
  },
  aws_elasticache_replication_group: {
    category: 'cache',
    paths: ['security_group_ids'],
    ports: { attribute: 'port', engineAttribute: 'engine', engines: CACHE_ENGINE_PORTS, defaultEngine: 'redis' },
  },
  aws_elasticache_serverless_cache: { category: 'cache', paths: ['security_group_ids'], ports: { engineAttribute: 'engine', engines: CACHE_ENGINE_PORTS } },
  aws_memorydb_cluster: { category: 'cache', paths: ['security_group_ids'], ports: { attribute: 'port', fixed: [6379] } },
  aws_dax_cluster: { category: 'cache', paths: ['security_group_ids'], ports: { fixed: [8111, 9111] } },
  aws_opensearch_domain: { category: 'search', paths: ['vpc_options.security_group_ids'], ports: { fixed: [443] } },
  aws_elasticsearch_domain: { category: 'search', paths: ['vpc_options.security_group_ids'], ports: { fixed: [443] } },
  aws_msk_cluster: { category: 'message-broker', paths: ['broker_node_group_info.security_groups'], ports: { fixed: [9092, 9094, 9098] } },
  aws_mq_broker: { category: 'message-broker', paths: ['security_groups'], ports: { engineAttribute: 'engine_type', engines: MQ_ENGINE_PORTS } },
  aws_lb: { category: 'load-balancer', paths: ['security_groups'] },
  aws_alb: { category: 'load-balancer', paths: ['security_groups'] },
  aws_elb: { category: 'load-balancer', paths: ['security_groups'] },
  aws_ecs_service: { category: 'container', paths: ['network_configuration.security_groups'] },
  aws_apprunner_vpc_connector: { category: 'container', paths: ['security_groups'] },
  aws_lambda_function: { category: 'serverless', paths: ['vpc_config.security_group_ids'] },
  aws_eks_cluster: { category: 'kubernetes', paths: ['vpc_config.security_group_ids'] },
  aws_eks_node_group: { category: 'kubernetes', paths: ['remote_access.source_security_group_ids'] },
  aws_efs_mount_target: { category: 'file-system', paths: ['security_groups'], ports: { fixed: [2049] } },
  aws_fsx_lustre_file_system: { category: 'file-system', paths: ['security_group_ids'] },
  aws_fsx_windows_file_system: { category: 'file-system', paths: ['security_group_ids'] },
  aws_fsx_ontap_file_system: { category: 'file-system', paths: ['security_group_ids'] },
  aws_fsx_openzfs_file_system: { category: 'file-system', paths: ['security_group_ids'] },
  aws_vpc_endpoint: { category: 'endpoint', paths: ['security_group_ids'] },
  aws_ec2_client_vpn_endpoint: { category: 'endpoint', paths: ['security_group_ids'] },
  aws_ec2_instance_connect_endpoint: { category: 'endpoint', paths: ['security_group_ids'] },
  aws_apigatewayv2_vpc_link: { category: 'endpoint', paths: ['security_group_ids'] },
  aws_route53_resolver_endpoint: { category: 'endpoint', paths: ['security_group_ids'] },
  aws_sagemaker_notebook_instance: { category: 'other', paths: ['security_groups'] },
  aws_codebuild_project: { category: 'other', paths: ['vpc_config.security_group_ids'] },
  aws_glue_connection: { category: 'other', paths: ['physical_connection_requirements.security_group_id_list'] },
  aws_glue_dev_endpoint: { category: 'other', paths: ['security_group_ids'] },
  aws_spot_fleet_request: { category: 'compute', paths: ['launch_specification.vpc_security_group_ids'] },
  aws_emr_studio: { category: 'compute', paths: ['engine_security_group_id', 'workspace_security_group_id'] },
  aws_appstream_fleet: { category: 'compute', paths: ['vpc_config.security_group_ids'] },
  aws_appstream_image_builder: { category: 'compute', paths: ['vpc_config.security_group_ids'] },
  aws_docdbelastic_cluster: { category: 'database', paths: ['vpc_security_group_ids'], ports: { attribute: 'port', fixed: [27017] } },
  aws_dms_replication_config: { category: 'other', paths: ['compute_config.vpc_security_group_ids'] },
  aws_mskconnect_connector: { category: 'other', paths: ['kafka_cluster.apache_kafka_cluster.vpc.security_groups'] },
  aws_mwaa_environment: { category: 'other', paths: ['network_configuration.security_group_ids'] },
  aws_cloudwatch_event_target: { category: 'container', paths: ['ecs_target.network_configuration.security_groups'] },
  aws_opensearch_vpc_endpoint: { category: 'endpoint', paths: ['vpc_options.security_group_ids'] },
  aws_codestarconnections_host: { category: 'endpoint', paths: ['vpc_configuration.security_group_ids'] },
  aws_ec2_client_vpn_network_association: { category: 'endpoint', paths: ['security_groups'] },
  aws_quicksight_vpc_connection: { category: 'endpoint', paths: ['security_group_ids'] },
  aws_transfer_server: { category: 'endpoint', paths: ['endpoint_details.security_group_ids'] },
  aws_vpclattice_service_network_vpc_association: { category: 'endpoint', paths: ['security_group_ids'] },
};

/** The ports a resource listens on: its port attribute when known, else the engine's or the type's default. */
export function attachmentPorts(spec: TfAttachmentSpec, body: TfVal): number[] {
  const p = spec.ports;
  if (!p) return [];
  const explicit = p.attribute ? field(body, p.attribute) : undefined;
  const port = explicit ? Number(scalarText(explicit)) : Number.NaN;
  if (Number.isInteger(port) && port > 0 && port <= 65535) return [port];
  if (p.engineAttribute && p.engines) {
    const engineVal = field(body, p.engineAttribute);
    const engine = (engineVal ? scalarText(engineVal) : undefined) ?? p.defaultEngine;
    if (engine !== undefined && engine !== '') {
      const defaults = defaultPortsForEngine(engine, p.engines);
      if (defaults) return [...defaults];
    }
  }
  return p.fixed ? [...p.fixed] : [];
}

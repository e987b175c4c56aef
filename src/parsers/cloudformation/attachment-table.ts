import type { PortDefaults } from '../../model/engine-ports';
import { CACHE_ENGINE_PORTS, MQ_ENGINE_PORTS, RDS_ENGINE_PORTS, RDS_PROXY_ENGINE_PORTS } from '../../model/engine-ports';
import type { AttachmentCategory } from '../../model/types';

/** How the port a resource listens on is found: its own property, or a default by engine (see PortDefaults). */
export interface PortSpec extends PortDefaults {
  /** Property holding the port ("Port"). */
  property?: string;
  /** Property naming the engine ("Engine", "EngineFamily"). */
  engineProperty?: string;
}

/** One CloudFormation resource type that attaches security groups. */
export interface AttachmentSpec {
  category: AttachmentCategory;
  /** Property paths holding group ids (a list or a single id); `*` walks every item of a list. */
  paths: readonly string[];
  ports?: PortSpec;
}

/**
 * Which properties of which resource types hold security groups (CloudFormation resource specification; see
 * formats.md §9), with the category of what the groups guard and where its port comes from.
 */
export const ATTACHMENTS: Readonly<Record<string, AttachmentSpec>> = {
  'AWS::EC2::Instance': { category: 'compute', paths: ['SecurityGroupIds', 'SecurityGroups', 'NetworkInterfaces.*.GroupSet'] },
  'AWS::EC2::LaunchTemplate': {
    category: 'compute',
    paths: ['LaunchTemplateData.SecurityGroupIds', 'LaunchTemplateData.SecurityGroups', 'LaunchTemplateData.NetworkInterfaces.*.Groups'],
  },
  'AWS::EC2::NetworkInterface': { category: 'compute', paths: ['GroupSet'] },
  'AWS::EC2::SpotFleet': {
    category: 'compute',
    paths: ['SpotFleetRequestConfigData.LaunchSpecifications.*.SecurityGroups.*.GroupId', 'SpotFleetRequestConfigData.LaunchSpecifications.*.NetworkInterfaces.*.Groups'],
  },
  'AWS::AutoScaling::LaunchConfiguration': { category: 'compute', paths: ['SecurityGroups'] },
  'AWS::Batch::ComputeEnvironment': { category: 'compute', paths: ['ComputeResources.SecurityGroupIds'] },
  'AWS::EMR::Cluster': {
    category: 'compute',
    paths: [
      'Instances.EmrManagedMasterSecurityGroup',
      'Instances.EmrManagedSlaveSecurityGroup',
      'Instances.AdditionalMasterSecurityGroups',
      'Instances.AdditionalSlaveSecurityGroups',
      'Instances.ServiceAccessSecurityGroup',
    ],
  },
  'AWS::RDS::DBInstance': {
    category: 'database',
    paths: ['VPCSecurityGroups', 'DBSecurityGroups'],
    ports: { property: 'Port', engineProperty: 'Engine', engines: RDS_ENGINE_PORTS },
  },
  'AWS::RDS::DBCluster': {
    category: 'database',
    paths: ['VpcSecurityGroupIds'],
    ports: { property: 'Port', engineProperty: 'Engine', engines: RDS_ENGINE_PORTS },
  },
  'AWS::RDS::DBProxy': {
    category: 'database',
    paths: ['VpcSecurityGroupIds'],
    ports: { engineProperty: 'EngineFamily', engines: RDS_PROXY_ENGINE_PORTS },
  },
  'AWS::RDS::DBProxyEndpoint': { category: 'database', paths: ['VpcSecurityGroupIds'] },
  'AWS::DocDB::DBCluster': { category: 'database', paths: ['VpcSecurityGroupIds'], ports: { property: 'Port', fixed: [27017] } },
  'AWS::Neptune::DBCluster': { category: 'database', paths: ['VpcSecurityGroupIds'], ports: { property: 'Port', fixed: [8182] } },
  'AWS::Redshift::Cluster': { category: 'database', paths: ['VpcSecurityGroupIds'], ports: { property: 'Port', fixed: [5439] } },
  'AWS::DMS::ReplicationInstance': { category: 'other', paths: ['VpcSecurityGroupIds'] },
  'AWS::ElastiCache::CacheCluster': {
    category: 'cache',
    paths: ['VpcSecurityGroupIds'],
    ports: { property: 'Port', engineProperty: 'Engine', engines: CACHE_ENGINE_PORTS },
  },
  'AWS::ElastiCache::ReplicationGroup': {
    category: 'cache',
    paths: ['SecurityGroupIds'],
    ports: { property: 'Port', engineProperty: 'Engine', engines: CACHE_ENGINE_PORTS, defaultEngine: 'redis' },
  },
  'AWS::ElastiCache::ServerlessCache': {
    category: 'cache',
    paths: ['SecurityGroupIds'],
    ports: { engineProperty: 'Engine', engines: CACHE_ENGINE_PORTS },
  },
  'AWS::MemoryDB::Cluster': { category: 'cache', paths: ['SecurityGroupIds'], ports: { property: 'Port', fixed: [6379] } },
  'AWS::DAX::Cluster': { category: 'cache', paths: ['SecurityGroupIds'], ports: { fixed: [8111, 9111] } },
  'AWS::OpenSearchService::Domain': { category: 'search', paths: ['VPCOptions.SecurityGroupIds'], ports: { fixed: [443] } },
  'AWS::Elasticsearch::Domain': { category: 'search', paths: ['VPCOptions.SecurityGroupIds'], ports: { fixed: [443] } },
  'AWS::MSK::Cluster': { category: 'message-broker', paths: ['BrokerNodeGroupInfo.SecurityGroups'], ports: { fixed: [9092, 9094, 9098] } },
  'AWS::AmazonMQ::Broker': { category: 'message-broker', paths: ['SecurityGroups'], ports: { engineProperty: 'EngineType', engines: MQ_ENGINE_PORTS } },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { category: 'load-balancer', paths: ['SecurityGroups'] },
  'AWS::ElasticLoadBalancing::LoadBalancer': { category: 'load-balancer', paths: ['SecurityGroups'] },
  'AWS::ECS::Service': { category: 'container', paths: ['NetworkConfiguration.AwsvpcConfiguration.SecurityGroups'] },
  'AWS::ECS::TaskSet': { category: 'container', paths: ['NetworkConfiguration.AwsVpcConfiguration.SecurityGroups'] },
  'AWS::AppRunner::VpcConnector': { category: 'container', paths: ['SecurityGroups'] },
  'AWS::Lambda::Function': { category: 'serverless', paths: ['VpcConfig.SecurityGroupIds'] },
  'AWS::Serverless::Function': { category: 'serverless', paths: ['VpcConfig.SecurityGroupIds'] },
  'AWS::EKS::Cluster': { category: 'kubernetes', paths: ['ResourcesVpcConfig.SecurityGroupIds'] },
  'AWS::EKS::Nodegroup': { category: 'kubernetes', paths: ['RemoteAccess.SourceSecurityGroups'] },
  'AWS::EFS::MountTarget': { category: 'file-system', paths: ['SecurityGroups'], ports: { fixed: [2049] } },
  'AWS::FSx::FileSystem': { category: 'file-system', paths: ['SecurityGroupIds'] },
  'AWS::EC2::VPCEndpoint': { category: 'endpoint', paths: ['SecurityGroupIds'] },
  'AWS::EC2::ClientVpnEndpoint': { category: 'endpoint', paths: ['SecurityGroupIds'] },
  'AWS::EC2::InstanceConnectEndpoint': { category: 'endpoint', paths: ['SecurityGroupIds'] },
  'AWS::ApiGatewayV2::VpcLink': { category: 'endpoint', paths: ['SecurityGroupIds'] },
  'AWS::Route53Resolver::ResolverEndpoint': { category: 'endpoint', paths: ['SecurityGroupIds'] },
  'AWS::SageMaker::NotebookInstance': { category: 'other', paths: ['SecurityGroupIds'] },
  'AWS::CodeBuild::Project': { category: 'other', paths: ['VpcConfig.SecurityGroupIds'] },
  // Newer resource types that take security groups.
  'AWS::MSK::ServerlessCluster': { category: 'message-broker', paths: ['VpcConfigs.*.SecurityGroups'], ports: { fixed: [9098] } },
  'AWS::DocDBElastic::Cluster': { category: 'database', paths: ['VpcSecurityGroupIds'], ports: { fixed: [27017] } },
  'AWS::RedshiftServerless::Workgroup': { category: 'database', paths: ['SecurityGroupIds'], ports: { property: 'Port', fixed: [5439] } },
  'AWS::Transfer::Server': { category: 'endpoint', paths: ['EndpointDetails.SecurityGroupIds'] },
  'AWS::EC2::VerifiedAccessEndpoint': { category: 'endpoint', paths: ['SecurityGroupIds'] },
  'AWS::MWAA::Environment': { category: 'other', paths: ['NetworkConfiguration.SecurityGroupIds'] },
  'AWS::EMRServerless::Application': { category: 'compute', paths: ['NetworkConfiguration.SecurityGroupIds'] },
  'AWS::SageMaker::Domain': { category: 'other', paths: ['DefaultUserSettings.SecurityGroups', 'DomainSettings.SecurityGroupIds'] },
  'AWS::AppStream::Fleet': { category: 'compute', paths: ['VpcConfig.SecurityGroupIds'] },
  'AWS::Grafana::Workspace': { category: 'other', paths: ['VpcConfiguration.SecurityGroupIds'] },
  'AWS::Glue::Connection': { category: 'other', paths: ['ConnectionInput.PhysicalConnectionRequirements.SecurityGroupIdList'] },
};

# A Terraform module with two common mistakes: a bastion open to the world, and a cache reachable from a
# public range. `npx sg-lint examples/terraform` lints the folder as one module.

variable "vpc_id" {
  type = string
}

variable "admin_cidr" {
  description = "Where administrators connect from"
  type        = string
  default     = "0.0.0.0/0"
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "SSH bastion"
  vpc_id      = var.vpc_id

  ingress {
    description = "SSH from administrators"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }

  egress {
    description = "SSH to the private subnets"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_security_group" "cache" {
  name        = "cache"
  description = "Redis"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_partner" {
  security_group_id = aws_security_group.cache.id
  description       = "Redis for the partner's integration servers"
  ip_protocol       = "tcp"
  from_port         = 6379
  to_port           = 6379
  cidr_ipv4         = "52.94.76.0/22"
}

resource "aws_elasticache_cluster" "sessions" {
  cluster_id         = "sessions"
  engine             = "redis"
  node_type          = "cache.t4g.small"
  num_cache_nodes    = 1
  security_group_ids = [aws_security_group.cache.id]
}

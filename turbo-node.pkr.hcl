# CCE custom node image: the Packer template.
#
# The seven values the procedure exports (REGION_NAME, IAM_ACCESS_KEY, IAM_SECRET_KEY,
# ECS_VPC_ID, ECS_NETWORK_ID, ECS_SECGRP_ID, CCE_SOURCE_IMAGE_ID) are read from the
# environment. Every other variable has a default and can be overridden with
# PKR_VAR_<name>, for example: export PKR_VAR_ecs_flavor=c7.xlarge.2
#
# Run it through packer.sh (`make image`), which checks the environment first.

packer {
  required_version = ">= 1.7.2"
  required_plugins {
    huaweicloud = {
      # 0.4.0 is the procedure's pin; 1.2.2 the maintained release
      # (`cce-image-wizard init --plugin 1.2.2`). Every field below exists in both.
      # 1.0.0-1.2.0 report themselves as 0.4.0-rc1 and `packer init` rejects them.
      version = "= 0.4.0"
      source  = "github.com/huaweicloud/huaweicloud"
    }
  }
}

# ---- From the environment, exactly as the procedure exports them ---------------------

variable "region_name" {
  type        = string
  default     = env("REGION_NAME")
  description = "Region of the temporary ECS and of the image, e.g. ap-southeast-1 (env REGION_NAME)."
}

variable "access_key" {
  type        = string
  default     = env("IAM_ACCESS_KEY")
  sensitive   = true
  description = "Access key (AK) of a temporary IAM credential (env IAM_ACCESS_KEY). Delete it after the build."
}

variable "secret_key" {
  type        = string
  default     = env("IAM_SECRET_KEY")
  sensitive   = true
  description = "Secret key (SK) that belongs to the access key (env IAM_SECRET_KEY)."
}

# A temporary credential's security token (empty with a long-term key). Plugin 1.2.2 takes
# it; 0.4.0 knows no token, and would refuse a `security_token` line in the source block,
# so packer.sh hands it to the plugin as HW_SECURITY_TOKEN, which 1.2.2 reads when the
# field is unset. Declared here, sensitive, so that Packer masks the value in its output.
variable "security_token" {
  type        = string
  default     = env("IAM_SECURITY_TOKEN")
  sensitive   = true
  description = "Security token of a temporary credential (env IAM_SECURITY_TOKEN, optional; plugin 1.2.2)."
}

variable "vpc_id" {
  type        = string
  default     = env("ECS_VPC_ID")
  description = "ID of the VPC the temporary ECS is created in (env ECS_VPC_ID)."
}

variable "network_id" {
  type        = string
  default     = env("ECS_NETWORK_ID")
  description = "Network ID of the subnet (VPC API neutron_network_id), not the Subnet ID (env ECS_NETWORK_ID)."
}

variable "security_group_id" {
  type        = string
  default     = env("ECS_SECGRP_ID")
  description = "Security group of the temporary ECS; it must allow TCP 22 from the executor (env ECS_SECGRP_ID)."
}

variable "source_image_id" {
  type        = string
  default     = env("CCE_SOURCE_IMAGE_ID")
  description = "ID of the CCE base node image to customise (env CCE_SOURCE_IMAGE_ID)."
}

variable "project_id" {
  type        = string
  default     = env("HW_PROJECT_ID")
  description = "Project ID of the region; when set the plugin skips its IAM project lookup (env HW_PROJECT_ID, optional)."
}

# ---- Overridable with PKR_VAR_<name> ---------------------------------------------------

variable "ecs_az" {
  type        = string
  default     = ""
  description = "Availability zone of the temporary ECS, e.g. ap-southeast-1a; empty lets the plugin pick one."
}

variable "ecs_flavor" {
  type        = string
  default     = "c7.large.2"
  description = "Flavor (specification) of the temporary ECS; any x86 flavor sold in the AZ works."
}

variable "image_name" {
  type        = string
  default     = ""
  description = "Name of the new private image; empty means cce-custom-<build timestamp>, unique per build."
}

variable "image_description" {
  type        = string
  default     = "CCE custom node image built with cce-image-wizard"
  description = "Description of the new private image."
}

variable "ssh_username" {
  type        = string
  default     = "root"
  description = "User Packer logs in as on the temporary ECS (CCE base images use root)."
}

variable "ssh_timeout" {
  type        = string
  default     = "15m"
  description = "How long to wait for SSH on the temporary ECS (the plugin's own default is 5m)."
}

variable "eip_type" {
  type        = string
  default     = "5_bgp"
  description = "EIP type for the temporary ECS, e.g. 5_bgp (dynamic BGP); empty with eip_bandwidth_size 0 means no EIP."
}

variable "eip_bandwidth_size" {
  type        = number
  default     = 5
  description = "Bandwidth of the temporary EIP in Mbit/s (1-2000); 0 with an empty eip_type means no EIP."
}

variable "volume_type" {
  type        = string
  default     = "SSD"
  description = "EVS disk type of the system volume: SAS, SSD, GPSSD or ESSD."
}

variable "volume_size" {
  type        = number
  default     = 50
  description = "Size of the system volume in GB (at least 40, and at least the source image's min_disk)."
}

variable "upload_build_log" {
  type        = bool
  default     = false
  description = "Copy the provisioning log into /var/log/ of the image. It may contain sensitive data: keep it off unless you need it."
}

locals {
  build_timestamp = formatdate("YYYYMMDDhhmmss", timestamp())
  image_name      = var.image_name != "" ? var.image_name : "cce-custom-${local.build_timestamp}"
  sudo            = var.ssh_username == "root" ? "" : "sudo -E "
  # Each step's output is also appended to $CCE_WORK_DIR/build.log on the temporary ECS,
  # so that the last step can keep it in /var/log/ when upload_build_log is on.
  # Plain sh, since the remote /bin/sh may be dash.
  execute_command = join("", [
    "chmod +x {{ .Path }}; w=$${CCE_WORK_DIR:-/tmp/cce-image-wizard}; mkdir -p \"$w\"; ",
    "( {{ .Vars }} ${local.sudo}{{ .Path }} 2>&1; echo $? > \"$w/step.rc\" ) | tee -a \"$w/build.log\"; ",
    "exit $(cat \"$w/step.rc\")",
  ])
  kit_env = [
    # The provisioning log may contain sensitive data (whatever your scripts print):
    # it is copied into the image only when upload_build_log is true.
    "CCE_UPLOAD_BUILD_LOG=${var.upload_build_log ? "1" : "0"}",
  ]
}

source "huaweicloud-ecs" "turbo-node" {
  region          = var.region_name
  project_id      = var.project_id
  access_key      = var.access_key
  secret_key      = var.secret_key
  source_image    = var.source_image_id
  flavor          = var.ecs_flavor
  vpc_id          = var.vpc_id
  subnets         = [var.network_id]
  security_groups = [var.security_group_id]

  availability_zone  = var.ecs_az
  eip_type           = var.eip_type
  eip_bandwidth_size = var.eip_bandwidth_size
  ssh_ip_version     = "4"

  volume_type = var.volume_type
  volume_size = var.volume_size

  image_name        = local.image_name
  image_description = var.image_description

  ssh_username = var.ssh_username
  ssh_timeout  = var.ssh_timeout
}

build {
  sources = ["source.huaweicloud-ecs.turbo-node"]

  # 1. The kit's first step: checks the OS and records the kernel parameters.
  provisioner "shell" {
    script           = "${path.root}/scripts/00-prepare.sh"
    environment_vars = local.kit_env
    execute_command  = local.execute_command
  }

  # 2. Every file in user-packages/ (but its README.md) lands in /tmp/<name> on the temporary ECS.
  dynamic "provisioner" {
    for_each = [for f in sort(fileset("${path.root}/user-packages", "*")) : f if f != "README.md"]
    labels   = ["file"]
    content {
      source      = "${path.root}/user-packages/${provisioner.value}"
      destination = "/tmp/${provisioner.value}"
    }
  }

  # 3. Every script in user-scripts/, in name order; adding a script needs no edit here.
  dynamic "provisioner" {
    for_each = sort(fileset("${path.root}/user-scripts", "*.sh"))
    labels   = ["shell"]
    content {
      script           = "${path.root}/user-scripts/${provisioner.value}"
      environment_vars = local.kit_env
      execute_command  = local.execute_command
    }
  }

  # 4. The kit's last step: warns about changed kernel parameters, cleans the image.
  provisioner "shell" {
    script           = "${path.root}/scripts/99-finalize.sh"
    environment_vars = local.kit_env
    execute_command  = local.execute_command
  }
}

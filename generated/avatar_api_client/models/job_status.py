from enum import StrEnum


class JobStatus(StrEnum):
    FAILURE = "failure"
    KILLED = "killed"
    PENDING = "pending"
    STARTED = "started"
    SUCCESS = "success"
    UNKNOWN = "unknown"
    failure = "failure"  # 0.7.x spelling (ImputeMethod.knn), an alias
    killed = "killed"  # 0.7.x spelling (ImputeMethod.knn), an alias
    pending = "pending"  # 0.7.x spelling (ImputeMethod.knn), an alias
    started = "started"  # 0.7.x spelling (ImputeMethod.knn), an alias
    success = "success"  # 0.7.x spelling (ImputeMethod.knn), an alias
    unknown = "unknown"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)

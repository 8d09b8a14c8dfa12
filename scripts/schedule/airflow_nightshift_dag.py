"""Nightshift nightly run as an Airflow DAG (an example to adapt; not tested by the project's CI).

Needs the Spark provider (``pip install apache-airflow-providers-apache-spark``) and a ``spark_default`` connection
pointing at the cluster (``spark://host:7077``, ``yarn`` or ``k8s://...``). The job jar and the Iceberg runtime jar
are the ones ``scripts/submit`` ships (``jobs/target/nightshift-jobs-*-submit.jar`` and
``jobs/target/lib/iceberg-spark-runtime-*.jar`` after ``mvn package``), copied where the workers can read them.

Each DAG run processes its data interval's day (``{{ ds }}``): a daily schedule at 02:30 UTC runs for yesterday, and
``catchup``/``airflow dags backfill`` replay past days — every run of a date is idempotent. ``max_active_runs=1``
keeps runs in date order; the job's own warehouse lock (exit code 5) guards against anything else writing.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

NIGHTSHIFT = "/opt/nightshift"
JOB_JAR = f"{NIGHTSHIFT}/jobs/target/nightshift-jobs-0.1.0-SNAPSHOT-submit.jar"
ICEBERG_JAR = f"{NIGHTSHIFT}/jobs/target/lib/iceberg-spark-runtime-4.1_2.13-1.12.0.jar"
CONFIG = "/etc/nightshift/nightshift.yaml"

# Spark 4.1 on Java 17 needs these module openings on driver and executors (README, ../shared/STACK.md).
JVM_FLAGS = " ".join([
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "-Djdk.reflect.useDirectMethodHandle=false",
])

with DAG(
    dag_id="nightshift_nightly",
    description="Trends, log-template anomalies, rules, threat intel and candidate incidents for one day of logs",
    schedule="30 2 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=True,
    max_active_runs=1,
    default_args={
        "owner": "security-data",
        "retries": 2,
        "retry_delay": timedelta(minutes=20),
        "execution_timeout": timedelta(hours=4),
    },
    tags=["nightshift", "security"],
) as dag:
    SparkSubmitOperator(
        task_id="nightshift_run",
        conn_id="spark_default",
        application=JOB_JAR,
        java_class="io.nightshift.jobs.cli.NightshiftCli",
        jars=ICEBERG_JAR,
        # Client deploy mode: the driver reads CONFIG where Airflow runs. In cluster deploy mode ship it with
        # files=CONFIG and pass its base name instead. Its lake root and warehouse must be paths every node reads
        # (a folder mounted on every node: lake.root does not keep hdfs:// or s3a:// URIs yet, see the README),
        # not relative folders.
        application_args=["run", "--date", "{{ ds }}", "--config", CONFIG],
        conf={
            "spark.driver.extraJavaOptions": JVM_FLAGS,
            "spark.executor.extraJavaOptions": JVM_FLAGS,
            "spark.sql.shuffle.partitions": "64",
        },
        driver_memory="4g",
        executor_memory="8g",
        name="nightshift-{{ ds }}",
        verbose=False,
    )

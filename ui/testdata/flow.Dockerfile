FROM debian:12
MAINTAINER Dana <dana@example.org>
RUN apt-get update && apt-get install curl
USER 1000
CMD run --port 80

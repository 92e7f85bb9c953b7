# A service image with a few classic problems.
FROM node:latest
MAINTAINER Team <team@example.com>
WORKDIR /srv
RUN apt-get update && apt-get install curl
COPY . .
RUN npm install
CMD node server.js

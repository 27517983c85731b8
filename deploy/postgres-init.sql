-- One database per service: each service owns its tables and is the only writer.
CREATE DATABASE pacesetter_gateway;
CREATE DATABASE pacesetter_pledge;
CREATE DATABASE pacesetter_evaluation;
CREATE DATABASE pacesetter_grading;
CREATE DATABASE pacesetter_notification;

//! Java archives: jar, war, ear, nested archives, Tomcat/JBoss/JDK installs.

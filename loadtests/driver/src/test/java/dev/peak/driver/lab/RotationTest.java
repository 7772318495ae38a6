package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class RotationTest {

    private static final String HEADER = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,"
            + "eresp,wretr,wredis,status,weight,act,bck,chkfail\n";

    @Test
    void serversThatAreNotUpAreOutOfRotation() {
        String csv = HEADER
                + "entry,FRONTEND,,,0,1,8000,3,0,0,0,0,0,,,,,OPEN,,,,\n"
                + "servers,a-1,0,0,0,1,,2,0,0,,0,,0,0,0,0,UP,1,1,0,0\n"
                + "servers,a-2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,3\n"
                + "servers,a-3,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/2,1,1,0,1\n"
                + "servers,BACKEND,0,0,0,1,800,2,0,0,0,0,,0,0,0,0,UP,1,1,0,\n";
        assertEquals(List.of("servers/a-2 DOWN", "servers/a-3 UP 1/2"), Rotation.serversNotUp(csv));
    }

    @Test
    void uncheckedServersAreRouted() {
        String csv = HEADER + "app,app,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,1,0,\n";
        assertEquals(List.of(), Rotation.serversNotUp(csv));
    }
}
